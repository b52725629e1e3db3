using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Hourly clean-up kept out of the dispatcher's loop: Idempotency-Key records live 24 hours
/// (SPEC §1), after which they are deleted; short portal links are deleted <see cref="PortalShortLink.KeptAfterExpiry"/>
/// after they expired (SPEC §11); and a mass message both of whose last senders missed its completion is completed.
/// </summary>
sealed class Housekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<Housekeeping> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so a first sweep over a long backlog never holds SQLite's write lock for long.</summary>
    const int DeleteBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
                await Task.Delay(Every, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Housekeeping failed; trying again in an hour");
                try { await Task.Delay(Every, time, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>One round of clean-up; returns how many rows were deleted. Tests call it directly.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var now = time.GetUtcNow();
        var cutoff = now - IdempotencyRecord.Lifetime;
        await scope.ServiceProvider.GetRequiredService<Webhooks.WebhookEvents>().CompleteStrandedMassMessagesAsync(ct);
        var deleted = await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        return deleted + await DeleteLongExpiredPortalLinksAsync(db, now - PortalShortLink.KeptAfterExpiry, ct);
    }

    /// <summary>Every company's short links that expired by <paramref name="before"/>, in batches (the ExpiresAt index finds them).</summary>
    static async Task<int> DeleteLongExpiredPortalLinksAsync(CasewireDb db, DateTimeOffset before, CancellationToken ct)
    {
        var deleted = 0;
        for (int batch; (batch = await db.PortalShortLinks.Where(l => l.ExpiresAt <= before).OrderBy(l => l.ExpiresAt).Take(DeleteBatch)
                 .ExecuteDeleteAsync(ct)) > 0;)
        {
            deleted += batch;
            if (batch < DeleteBatch) break;
        }
        return deleted;
    }
}
