using Casewire.Data;
using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// Keeps a round's leases while its provider calls are in flight (SPEC §10): every third of
/// <see cref="DeliveryOptions.LeaseDuration"/> the leases this instance still holds move on by a whole
/// lease, so a round that outlives one lease (a slow SMTP server, a provider near its timeout) does not
/// lose its items to another instance's reconciliation. Ends, and waits for a renewal under way, when
/// disposed (once or more).
/// </summary>
sealed class LeaseRenewal : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;

    LeaseRenewal(IServiceScopeFactory scopes, IReadOnlyCollection<OutboxItem> items, DeliveryOptions options, TimeProvider time, ILogger logger) =>
        // Started here, not on the thread pool: the first wait is on the clock before the round's sends begin.
        _loop = RenewAsync(scopes, items, options, time, logger, _stop.Token);

    /// <summary>Starts renewing the leases of <paramref name="items"/>, claimed by this instance.</summary>
    public static LeaseRenewal Start(IServiceScopeFactory scopes, IReadOnlyCollection<OutboxItem> items, DeliveryOptions options, TimeProvider time,
        ILogger logger) => new(scopes, items, options, time, logger);

    static async Task RenewAsync(IServiceScopeFactory scopes, IReadOnlyCollection<OutboxItem> items, DeliveryOptions options, TimeProvider time,
        ILogger logger, CancellationToken stop)
    {
        var period = options.LeaseDuration / 3;
        // On a schedule from the start, not a period after each renewal, so a slow renewal does not push the next one back.
        var next = time.GetUtcNow() + period;
        while (true)
        {
            try
            {
                if (next - time.GetUtcNow() is { Ticks: > 0 } wait) await Task.Delay(wait, time, stop);
                stop.ThrowIfCancellationRequested();
                next = next + period > time.GetUtcNow() ? next + period : time.GetUtcNow() + period;
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
                var held = await Leases.RenewAsync(db, items, options.Instance, time.GetUtcNow() + options.LeaseDuration, stop);
                if (held < items.Count)
                    logger.LogWarning("Renewed {Held} of {Claimed} leases: the rest were recorded or claimed by another instance since", held, items.Count);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Try again at the next period; the outcomes are fenced whatever happens here.
                logger.LogWarning(e, "Could not renew the leases of {Claimed} items", items.Count);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return; // disposed already
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
