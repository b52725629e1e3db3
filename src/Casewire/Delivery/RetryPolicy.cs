using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// SPEC §7 backoff: the first retry within 10 s, then doubling with jitter, capped at 10 minutes;
/// give up after 10 attempts or 24 hours. A webhook call is retried for the whole 24 hours, whatever
/// the count: ten attempts span only half an hour, and an integrator's outage of an hour must lose nothing.
/// </summary>
sealed class RetryPolicy(DeliveryOptions options)
{
    /// <summary>Delay before attempt <paramref name="attemptsSoFar"/> + 1: "equal jitter", half fixed and half random.</summary>
    public TimeSpan DelayAfter(int attemptsSoFar, Random random)
    {
        var exponent = Math.Min(attemptsSoFar - 1, 20);
        var ceiling = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }

    public bool ShouldGiveUp(OutboxItem item, DateTimeOffset now) => item.Channel == Channel.Webhook
        ? now - item.DueAt >= options.GiveUpAfter
        : ShouldGiveUp(item.Attempts, item.DueAt, now);

    public bool ShouldGiveUp(int attemptsSoFar, DateTimeOffset dueAt, DateTimeOffset now) =>
        attemptsSoFar >= options.MaxAttempts || now - dueAt >= options.GiveUpAfter;
}
