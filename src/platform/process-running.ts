/** Whether a process with this pid exists on this machine (it may belong to another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but we may not signal it.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
