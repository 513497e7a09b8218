// PostGraphile's CLI in N node processes sharing one port (node:cluster): its own way to use several cores.
import cluster from "node:cluster";

const workers = Number(process.env.PGL_WORKERS || "1");
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on("SIGTERM", () => { for (const w of Object.values(cluster.workers)) w.kill("SIGTERM"); process.exit(0); });
} else {
  await import(process.env.PGL_CLI);
}
