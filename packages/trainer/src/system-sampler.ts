/** CPU use (all threads of this process, so it can exceed 100 on several cores) and RSS since last call. */
export class SystemSampler {
  private lastCpu = process.cpuUsage();
  private lastTime = process.hrtime.bigint();

  sample(): { cpu_percent: number; rss_bytes: number } {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = process.hrtime.bigint();
    const wallUs = Number(now - this.lastTime) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    const cpuPercent = wallUs > 0 ? ((cpu.user + cpu.system) / wallUs) * 100 : 0;
    return { cpu_percent: Math.round(cpuPercent * 10) / 10, rss_bytes: process.memoryUsage.rss() };
  }
}
