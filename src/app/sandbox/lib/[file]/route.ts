import { libraryFile } from "@/server/sandbox/library-file";

export async function GET(req: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  return libraryFile((await params).file, req.headers.get("if-none-match"));
}
