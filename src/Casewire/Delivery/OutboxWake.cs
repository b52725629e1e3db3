using Casewire.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Casewire.Delivery;

/// <summary>
/// Wakes the dispatcher's lanes when an item is written, so each lane sleeps until its earliest due time
/// instead of polling (DESIGN.md). A write wakes the lanes of the channels it wrote, not every lane: a round
/// of a lane with nothing to do is still four statements (its expired leases, a claim, the next wake-up's two).
/// Signalled after the write commits: the dispatcher must be able to see the row.
/// </summary>
sealed class OutboxWake
{
    readonly TaskCompletionSource[] _signals = [.. Lane.All.Select(_ => NewSignal())];

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised for every local write, with its lanes; the PostgreSQL relay forwards it to other instances.</summary>
    public event Action<IReadOnlyCollection<Lane>>? Written;

    /// <summary>Wakes <paramref name="lanes"/>.</summary>
    public void Notify(IReadOnlyCollection<Lane> lanes, bool local = true)
    {
        foreach (var lane in lanes)
        {
            var index = IndexOf(lane);
            Interlocked.Exchange(ref _signals[index], NewSignal()).TrySetResult();
        }
        if (local) Written?.Invoke(lanes);
    }

    /// <summary>
    /// <paramref name="lane"/>'s next notification. Its loop takes it before it looks for work and waits on it after,
    /// so a write committed in between (e.g. by another lane's round) still ends the sleep.
    /// </summary>
    public Task Next(Lane lane) => Volatile.Read(ref _signals[IndexOf(lane)]).Task;

    static int IndexOf(Lane lane)
    {
        for (var i = 0; i < Lane.All.Count; i++)
            if (Lane.All[i] == lane) return i;
        throw new ArgumentOutOfRangeException(nameof(lane), lane, "Not one of Lane.All.");
    }

    /// <summary>Completes when <paramref name="signal"/> (a <see cref="Next"/>) completes or after <paramref name="timeout"/> on <paramref name="time"/>'s clock.</summary>
    public static async Task WaitAsync(Task signal, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero || signal.IsCompleted) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(signal, delay);
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Signals <see cref="OutboxWake"/> (the lanes of the rows' channels) once a save that wrote outbox rows (flagged by <see cref="Outbox.Enqueue"/>,
/// the only writer) is committed: at once without a transaction, else when the transaction commits.
/// </summary>
sealed class OutboxWriteInterceptor(OutboxWake wake) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    void SignalIfCommitted(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Signal(context);
    }

    void Signal(DbContext? context)
    {
        if (context is not CasewireDb { OutboxWritten.Count: > 0 } db) return;
        var lanes = db.OutboxWritten.Select(Lane.Of).Distinct().ToList();
        db.OutboxWritten.Clear();
        wake.Notify(lanes);
    }
}
