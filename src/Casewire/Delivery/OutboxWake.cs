using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Casewire.Delivery;

/// <summary>
/// Wakes the dispatcher when an item is written, so it sleeps until the earliest due time instead of
/// polling (DESIGN.md). Signalled after the write commits: the dispatcher must be able to see the row.
/// </summary>
public sealed class OutboxWake
{
    TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised for every local write; the PostgreSQL relay forwards it to other instances.</summary>
    public event Action? Written;

    public void Notify(bool local = true)
    {
        Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (local) Written?.Invoke();
    }

    /// <summary>Completes when notified or after <paramref name="timeout"/> on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _signal).Task;
        if (timeout <= TimeSpan.Zero) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(signal, delay);
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Signals <see cref="OutboxWake"/> once a save that wrote outbox rows (flagged by <see cref="Outbox.Enqueue"/>,
/// the only writer) is committed: at once without a transaction, else when the transaction commits.
/// </summary>
public sealed class OutboxWriteInterceptor(OutboxWake wake) : ISaveChangesInterceptor, IDbTransactionInterceptor
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
        if (context is not CasewireDb { OutboxWritten: true } db) return;
        db.OutboxWritten = false;
        wake.Notify();
    }
}
