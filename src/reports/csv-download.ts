import type { FastifyReply } from 'fastify';

/** Sends a streamed CSV export as a download: the same headers from the API and from the pages. */
export async function sendCsvDownload(
  reply: FastifyReply,
  file: { fileName: string; stream: unknown },
): Promise<void> {
  await reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(file.stream);
}
