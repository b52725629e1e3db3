using System.Collections.Concurrent;
using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner.Auth;

/// <summary>
/// Tokens' last-used times, kept in memory by each request and written by one background task every
/// <see cref="FlushPeriod"/> (on the injected clock) in one transaction for all tokens, instead of an
/// UPDATE inside requests (issue 18). What is still unwritten when the host stops is written then.
/// </summary>
sealed class TokenLastUsed(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenLastUsed> logger) : BackgroundService
{
    public static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<int, DateTimeOffset> _pending = new();

    /// <summary>Notes that the token was used at <paramref name="at"/>; the latest time per token is written at the next flush.</summary>
    public void Record(int tokenId, DateTimeOffset at) =>
        _pending.AddOrUpdate(tokenId, at, (_, known) => at > known ? at : known);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushPeriod, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not write the API tokens' last-used times; trying again in {Period}.", FlushPeriod);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not write the API tokens' last-used times while stopping.");
        }
    }

    /// <summary>Writes what was recorded since the last flush; a time that cannot be written stays for the next one.</summary>
    async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return;
        var batch = _pending.ToArray();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var (tokenId, at) in batch)
                await db.ApiTokens.Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, at), ct);
            await transaction.CommitAsync(ct);
        }
        foreach (var entry in batch)
            _pending.TryRemove(entry); // only if no later use came in meanwhile
    }
}
