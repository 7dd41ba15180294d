/** A port someone else holds, said in one line with the variable that changes it. */
export class PortInUseError extends Error {
  constructor(
    readonly part: string,
    readonly port: number,
    readonly variable: string,
  ) {
    super(`port ${port} (${part}) is already in use: set ${variable} to another port, or to 0 for any free one`);
    this.name = 'PortInUseError';
  }
}

/** Runs `start(port)`, turning the operating system's EADDRINUSE into a PortInUseError. */
export async function listening<T>(part: string, port: number, variable: string, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new PortInUseError(part, port, variable);
    throw error;
  }
}
