using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Hourly clean-up kept out of the dispatcher's loop: Idempotency-Key records live 24 hours
/// (SPEC §1), after which they are deleted; and a mass message both of whose last senders missed its completion is completed.
/// </summary>
sealed class Housekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<Housekeeping> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromHours(1);

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

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var cutoff = time.GetUtcNow() - IdempotencyRecord.Lifetime;
        await scope.ServiceProvider.GetRequiredService<Webhooks.WebhookEvents>().CompleteStrandedMassMessagesAsync(ct);
        return await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
