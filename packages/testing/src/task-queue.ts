// Client → server traffic of the fake: each task runs one microtask after it was queued, all in
// the order queued, with no timer (fake timers neither delay nor reorder it).

/** Runs queued tasks in order in one microtask; a task that throws does not stop the rest. */
export class TaskQueue {
  private _tasks: Array<() => void> = [];
  private _scheduled = false;

  constructor(
    private readonly _report: (error: unknown) => void,
    /** Called after each batch ran (waiters re-check their conditions). */
    private readonly _drained: () => void,
  ) {}

  /** Nothing queued and no batch scheduled. */
  get idle(): boolean {
    return !this._scheduled;
  }

  push(task: () => void): void {
    this._tasks.push(task);
    if (this._scheduled) return;
    this._scheduled = true;
    void Promise.resolve().then(() => {
      for (let next = this._tasks.shift(); next; next = this._tasks.shift()) {
        try {
          next();
        } catch (error) {
          this._report(error); // keep the order of what follows
        }
      }
      this._scheduled = false;
      this._drained();
    });
  }
}
