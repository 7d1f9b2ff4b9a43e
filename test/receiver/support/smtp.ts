import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Handle on the SMTP sink process (./smtp-sink.ts). */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Messages whose data arrived (counted only with SMTP_SINK_DELAY_MS: then they are held before acceptance). */
  arrived = 0;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(env: Record<string, string> = {}): Promise<SmtpSink> {
    const root = resolve(__dirname, '../../..');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'smtp-sink.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return new Promise((resolveSink, reject) => {
      let buffer = '';
      let sink: SmtpSink | undefined;
      const timer = setTimeout(() => reject(new Error('SMTP sink did not start')), 20_000);
      child.stdout.on('data', (data) => {
        buffer += String(data);
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const listening = /^LISTENING (\d+)$/.exec(line);
          if (listening) {
            clearTimeout(timer);
            sink = new SmtpSink(child, Number(listening[1]));
            resolveSink(sink);
          } else if (line === 'ARRIVED' && sink) {
            sink.arrived++;
          } else if (line.startsWith('{') && sink) {
            sink.messages.push(JSON.parse(line) as ReceivedMail);
          }
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (!sink) reject(new Error(`SMTP sink exited with ${code}`));
      });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.on('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
