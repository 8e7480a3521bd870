// Idle timeout: any touch restarts the count; the owner is told every second and at expiry.

export class IdleTimer {
  constructor() {
    this.seconds = 0;
    this.remaining = 0;
    this.handlers = null;
    this.interval = null;
    const restart = () => this.restart();
    for (const type of ["pointerdown", "keydown", "wheel"]) {
      document.addEventListener(type, restart, { capture: true, passive: true });
    }
  }

  arm(seconds, { onTick = () => {}, onExpire = () => {} } = {}) {
    this.stop();
    this.seconds = seconds;
    this.handlers = { onTick, onExpire };
    this.restart();
    this.interval = setInterval(() => this.tick(), 1000);
  }

  restart() {
    if (!this.handlers) return;
    this.remaining = this.seconds;
    this.handlers.onTick(this.remaining);
  }

  tick() {
    if (!this.handlers) return;
    this.remaining -= 1;
    if (this.remaining <= 0) {
      const { onExpire } = this.handlers;
      this.stop();
      onExpire();
    } else {
      this.handlers.onTick(this.remaining);
    }
  }

  stop() {
    clearInterval(this.interval);
    this.interval = null;
    this.handlers = null;
  }
}
