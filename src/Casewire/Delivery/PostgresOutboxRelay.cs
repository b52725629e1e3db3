using Casewire.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Casewire.Delivery;

/// <summary>
/// On PostgreSQL several Casewire instances share one outbox (SPEC §7). A write in one instance wakes
/// the others through <c>LISTEN/NOTIFY</c>, so an item due now leaves at once whichever instance
/// wrote it. Notifications are coalesced: a burst of writes sends one NOTIFY.
/// </summary>
sealed class PostgresOutboxRelay(IServiceScopeFactory scopes, OutboxWake wake, ILogger<PostgresOutboxRelay> logger) : BackgroundService
{
    const string Channel = "casewire_outbox";
    readonly SemaphoreSlim _written = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
            if (!db.Database.IsNpgsql()) return;
            connectionString = db.Database.GetConnectionString()!;
        }

        wake.Written += OnWritten;
        try
        {
            await Task.WhenAll(ListenAsync(connectionString, stoppingToken), NotifyAsync(connectionString, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            wake.Written -= OnWritten;
        }
    }

    void OnWritten()
    {
        if (_written.CurrentCount == 0) try { _written.Release(); } catch (SemaphoreFullException) { }
    }

    async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => wake.Notify(local: false);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(ct);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Lost the outbox notification channel; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    async Task NotifyAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await _written.WaitAsync(ct);
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                await notify.ExecuteNonQueryAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not notify other instances of an outbox write");
            }
        }
    }
}
