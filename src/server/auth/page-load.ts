import { notFound } from "next/navigation";
import { AppError } from "@/server/errors";

/** Runs a service read for a page; "not found" (which also hides what the reader may not see) becomes the 404 page. */
export async function loadOr404<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
