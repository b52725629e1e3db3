using Casewire.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Documents;

/// <summary>
/// Removes stored files that no document row names and that are older than <c>Storage:OrphanGrace</c> (by the time in
/// their key, <see cref="StorageKeys"/>): what a crash between writing a file and committing its row left behind, or
/// a removal that failed. Runs every <c>Storage:SweepEvery</c> on the app's clock. Rows are checked against the
/// database in batches; a file young enough to have its row still on the way is left alone.
/// </summary>
sealed class OrphanSweeper(IServiceScopeFactory scopes, IFileStore store, TimeProvider time, IOptions<StorageOptions> options,
    ILogger<OrphanSweeper> logger) : BackgroundService
{
    const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(options.Value.SweepEvery, time, stoppingToken); }
            catch (OperationCanceledException) { break; }
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The orphan sweep failed; trying again in {Interval}", options.Value.SweepEvery);
            }
        }
    }

    /// <summary>One sweep; returns how many files were removed. Tests call it directly.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.Value.OrphanGrace;
        var removed = 0;
        var candidates = new List<string>();
        await foreach (var key in store.ListAsync(ct))
        {
            if (StorageKeys.WrittenAt(key) is not { } at || at >= cutoff) continue;
            candidates.Add(key);
            if (candidates.Count == Batch)
            {
                removed += await RemoveOrphansAsync(candidates, ct);
                candidates.Clear();
            }
        }
        if (candidates.Count > 0) removed += await RemoveOrphansAsync(candidates, ct);
        if (removed > 0) logger.LogInformation("Removed {Count} stored files that no document names", removed);
        return removed;
    }

    async Task<int> RemoveOrphansAsync(List<string> keys, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        // The sweeper serves every company: it reads keys, never a company's rows.
        var named = (await db.Documents.AsNoTracking().Where(d => keys.Contains(d.StorageKey)).Select(d => d.StorageKey).ToListAsync(ct)).ToHashSet();
        var removed = 0;
        foreach (var key in keys.Where(k => !named.Contains(k)))
        {
            await store.DeleteAsync(key, ct);
            removed++;
        }
        return removed;
    }
}
