import { z } from "zod";

/**
 * A procedure input typed as the contract's input for clients, but checked by the service verb
 * (parseInput), so a bad field gets the same "field: message" 400 on every door.
 */
export const typedInput = <S extends z.ZodType>(_schema: S) => z.custom<z.input<S>>(() => true);
