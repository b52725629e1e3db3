using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>Every knob of the delivery engine, with its default (configuration section <c>Delivery</c>).</summary>
sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// How long a claimed item belongs to one dispatcher before another may reconcile it. Longer than
    /// a whole batch of slow provider calls (Twilio 10 s, SMTP 30 s timeouts), so a live sender is never
    /// mistaken for a dead one; after a crash, what was in flight is reconciled this long after. Start-up
    /// refuses one not longer than each provider's timeout (<see cref="ProviderTimeout"/>).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Items claimed per round trip, per lane (texts; emails; webhook calls).</summary>
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
    /// Rounds of the texts' lane run side by side while a backlog lasts (a round came back
    /// full: a drain, 10,000 reminders due at 08:00). Claims never overlap (one statement each), so the
    /// rounds share the work. Off (1) by default: measured, two rounds drained SQLite slower (one
    /// writer) and PostgreSQL only slightly faster for 40 % more CPU per item (docs/decisions.md).
    /// Emails and webhook calls keep one round at a time.
    /// </summary>
    public int BacklogRounds { get; set; } = 1;
    /// <summary>
    /// How long before a due instant its items are claimed and decided, so that they leave at the instant itself:
    /// 10,000 reminders due at 8:00:00 would otherwise take the whole drain's time after it. Never sent early; a
    /// cancel or STOP until just before the instant still counts. Zero turns it off.
    /// </summary>
    public TimeSpan BurstLookahead { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The lookahead in use: at most half the lease, so items claimed ahead never wait out their lease.</summary>
    public TimeSpan EffectiveBurstLookahead => BurstLookahead < LeaseDuration / 2 ? BurstLookahead : LeaseDuration / 2;
    /// <summary>Rounds (of <see cref="BatchSize"/> items) claimed ahead of one instant at most; the rest go after it.</summary>
    public int BurstRounds { get; set; } = 50;
    /// <summary>Items due at one instant that make a burst worth claiming ahead; fewer go in the ordinary rounds at it.</summary>
    public int BurstMinimum { get; set; } = 100;
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

/// <summary>
/// The longest one call to a provider in use may take, by its configuration key (e.g.
/// <c>Twilio:RequestTimeout</c>): each provider registers its own, and <see cref="DeliveryOptions.LeaseDuration"/>
/// must outlast each.
/// </summary>
sealed record ProviderTimeout(string Key, Func<TimeSpan> Read);

/// <summary>Every problem with the <c>Delivery</c> section at once, each naming its key and what is accepted.</summary>
sealed class DeliveryOptionsValidation(IEnumerable<ProviderTimeout> timeouts) : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions o)
    {
        var failures = new List<string>();
        if (o.LeaseDuration <= TimeSpan.Zero)
            failures.Add("Delivery:LeaseDuration must be positive (default 00:05:00).");
        else
            foreach (var timeout in timeouts)
            {
                if (ReadOrNull(timeout) is { } longest && o.LeaseDuration <= longest)
                    failures.Add($"Delivery:LeaseDuration ({o.LeaseDuration}) must be longer than {timeout.Key} ({longest}): a lease must " +
                                 "outlast a slow provider call, or another dispatcher reconciles and resends what a live one is sending (default 00:05:00).");
            }
        if (o.BatchSize < 1)
            failures.Add("Delivery:BatchSize must be 1 or more (default 200).");
        if (o.MaxParallelSends < 1)
            failures.Add("Delivery:MaxParallelSends must be 1 or more (default 16).");
        if (o.RoundInterval < TimeSpan.Zero)
            failures.Add("Delivery:RoundInterval must be 0 (no pacing) or more (default 00:00:00.025).");
        if (o.BacklogRounds < 1)
            failures.Add("Delivery:BacklogRounds must be 1 or more (default 1: one round at a time).");
        if (o.BurstLookahead < TimeSpan.Zero)
            failures.Add("Delivery:BurstLookahead must be 0 (off) or more (default 00:00:05).");
        if (o.BurstRounds < 1)
            failures.Add("Delivery:BurstRounds must be 1 or more (default 50).");
        if (o.BurstMinimum < 1)
            failures.Add("Delivery:BurstMinimum must be 1 or more (default 100).");
        if (o.MaxIdle <= TimeSpan.Zero)
            failures.Add("Delivery:MaxIdle must be positive (default 00:00:05).");
        if (o.FirstRetryDelay <= TimeSpan.Zero)
            failures.Add("Delivery:FirstRetryDelay must be positive (default 00:00:05).");
        else if (o.MaxRetryDelay < o.FirstRetryDelay)
            failures.Add("Delivery:MaxRetryDelay must be at least Delivery:FirstRetryDelay (defaults 00:10:00 and 00:00:05).");
        if (o.MaxAttempts < 1)
            failures.Add("Delivery:MaxAttempts must be 1 or more (default 10).");
        if (o.GiveUpAfter <= TimeSpan.Zero)
            failures.Add("Delivery:GiveUpAfter must be positive (default 1.00:00:00).");
        if (string.IsNullOrWhiteSpace(o.Instance))
            failures.Add("Delivery:Instance must not be empty (default: the machine name, the process id and a random suffix).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The provider's timeout, or null when its own section is invalid: its validation says so, once.</summary>
    static TimeSpan? ReadOrNull(ProviderTimeout timeout)
    {
        try { return timeout.Read(); }
        catch (OptionsValidationException) { return null; }
    }
}
