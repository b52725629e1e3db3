namespace Casewire.Delivery;

/// <summary>Every knob of the delivery engine, with its default (configuration section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// How long a claimed item belongs to one dispatcher before another may reconcile it. Longer than
    /// a whole batch of slow provider calls (Twilio 10 s, SMTP 30 s timeouts), so a live sender is never
    /// mistaken for a dead one; after a crash, what was in flight is reconciled this long after.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Items claimed per round trip, per lane (texts and emails; webhook calls).</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>Provider calls in flight at once, per lane.</summary>
    public int MaxParallelSends { get; set; } = 16;
    /// <summary>
    /// A lane starts a round at most this often while the rounds come out small, so a stream of single
    /// writes (send-message at hundreds per second) shares rounds instead of paying a round's fixed
    /// reads and writes per text. A lane that has been idle longer starts at once, and a full round
    /// (more is due) is followed at once, so neither a lone message nor a drain waits for it.
    /// </summary>
    public TimeSpan RoundInterval { get; set; } = TimeSpan.FromMilliseconds(25);
    /// <summary>
    /// Rounds of the texts-and-emails lane run side by side while a backlog lasts (a round came back
    /// full: a drain, 10,000 reminders due at 08:00). Claims never overlap (one statement each), so the
    /// rounds share the work. Off (1) by default: measured, two rounds drained SQLite slower (one
    /// writer) and PostgreSQL only slightly faster for 40 % more CPU per item (docs/decisions.md).
    /// Webhook calls keep one round at a time.
    /// </summary>
    public int BacklogRounds { get; set; } = 1;
    /// <summary>Longest sleep between checks even when nothing is due (a safety net; wake-ups are signalled).</summary>
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>SPEC §7: the first retry within 10 s, then doubling with jitter, capped at 10 minutes.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>SPEC §7: give up after 10 attempts or 24 hours.</summary>
    public int MaxAttempts { get; set; } = 10;
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Set false to run no dispatcher loops in this process (tests that drive <c>DispatchDueAsync</c> themselves).</summary>
    public bool RunDispatcher { get; set; } = true;
    /// <summary>Identifies this process in leases and attempts.</summary>
    public string Instance { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
