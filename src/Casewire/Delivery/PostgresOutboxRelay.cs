using Casewire.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Casewire.Delivery;

/// <summary>
/// On PostgreSQL several Casewire instances share one outbox (SPEC §7). A write in one instance wakes
/// the others through <c>LISTEN/NOTIFY</c>, so an item due now leaves at once whichever instance
/// wrote it. The payload names the lanes written (<c>sms,email</c>); a notification without one (an older
/// instance, a hand-written <c>NOTIFY casewire_outbox</c>) wakes every lane. Notifications are coalesced: a
/// burst of writes sends one NOTIFY, naming every lane the burst wrote.
/// </summary>
sealed class PostgresOutboxRelay(IServiceScopeFactory scopes, OutboxWake wake, ILogger<PostgresOutboxRelay> logger) : BackgroundService
{
    const string Channel = "casewire_outbox";
    readonly SemaphoreSlim _written = new(0, 1);
    readonly HashSet<Lane> _pending = [];

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

    void OnWritten(IReadOnlyCollection<Lane> lanes)
    {
        lock (_pending) _pending.UnionWith(lanes);
        if (_written.CurrentCount == 0) try { _written.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>The lanes a notification's payload names; every lane when it names none this instance knows.</summary>
    internal static IReadOnlyCollection<Lane> LanesOf(string? payload)
    {
        var lanes = (payload ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(Lane.Named).OfType<Lane>().Distinct().ToList();
        return lanes.Count > 0 ? lanes : Lane.All;
    }

    async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => wake.Notify(LanesOf(e.Payload), local: false);
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
            string lanes;
            lock (_pending)
            {
                lanes = string.Join(",", _pending.Select(l => l.Name));
                _pending.Clear();
            }
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', $1)", connection);
                notify.Parameters.Add(new NpgsqlParameter { Value = lanes });
                await notify.ExecuteNonQueryAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not notify other instances of an outbox write");
            }
        }
    }
}
