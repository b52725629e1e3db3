using Casewire.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Casewire.Delivery;

/// <summary>
/// Wakes the dispatcher when an item is written, so each of its lanes sleeps until its earliest due time
/// instead of polling (DESIGN.md). One signal wakes every lane (each then looks for its own work).
/// Signalled after the write commits: the dispatcher must be able to see the row.
/// </summary>
sealed class OutboxWake
{
    TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised for every local write; the PostgreSQL relay forwards it to other instances.</summary>
    public event Action? Written;

    public void Notify(bool local = true)
    {
        Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (local) Written?.Invoke();
    }

    /// <summary>
    /// The next notification. A loop takes it before it looks for work and waits on it after, so a write
    /// committed in between (e.g. by another lane's round) still ends the sleep.
    /// </summary>
    public Task Next => Volatile.Read(ref _signal).Task;

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
/// Signals <see cref="OutboxWake"/> once a save that wrote outbox rows (flagged by <see cref="Outbox.Enqueue"/>,
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
        if (context is not CasewireDb { OutboxWritten: true } db) return;
        db.OutboxWritten = false;
        wake.Notify();
    }
}
