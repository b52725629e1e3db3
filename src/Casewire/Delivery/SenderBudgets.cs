using System.Collections.Concurrent;

namespace Casewire.Delivery;

/// <summary>
/// Messages-per-second budget per sender number (SPEC §7): a token bucket of one second's budget
/// per sender. Items over budget are not failed but put back with the time their turn comes.
/// Per process: two instances sharing one number each keep their own budget.
/// </summary>
sealed class RateShaper
{
    readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    /// <summary>Takes a send slot for <paramref name="sender"/> now, or says when the next one frees up.</summary>
    public bool TryTake(string sender, double perSecond, DateTimeOffset now, out DateTimeOffset nextFree)
    {
        var bucket = _buckets.GetOrAdd(sender, _ => new Bucket(perSecond, now));
        lock (bucket)
        {
            bucket.Refill(perSecond, now);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                nextFree = now;
                return true;
            }
            nextFree = now + TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
            return false;
        }
    }

    sealed class Bucket(double perSecond, DateTimeOffset now)
    {
        public double Tokens = Math.Max(1, perSecond);
        DateTimeOffset _last = now;

        public void Refill(double rate, DateTimeOffset at)
        {
            if (at <= _last) return;
            Tokens = Math.Min(Math.Max(1, rate), Tokens + (at - _last).TotalSeconds * rate);
            _last = at;
        }
    }
}
