using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Casewire.Partner.Auth;

/// <summary>
/// Token hash → tenant snapshot, so a request is authenticated without a query (issue 18). An entry is
/// trusted for <see cref="Freshness"/> and then read again: a revoke (or a company's new sender number or
/// region) made by another instance or by the CLI in its own process shows within a second, on SQLite and
/// PostgreSQL alike. A revoke or company change saved through this instance's context clears the cache at
/// once (<see cref="TokenCacheInterceptor"/>). Only valid tokens are kept: unknown ones are looked up every
/// time, so a stream of made-up tokens cannot fill memory.
/// </summary>
sealed class TokenCache(TimeProvider time)
{
    /// <summary>How long an entry is used before the database is asked again; with the read, well under the 1 s bound.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(500);

    sealed record Entry(AuthenticatedToken Token, long ReadAt);

    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    long _generation;

    /// <summary>The snapshot of the token with this hash, from memory while fresh, else from <paramref name="read"/> (null: unknown or revoked).</summary>
    public async Task<AuthenticatedToken?> GetAsync(string hash, Func<Task<AuthenticatedToken?>> read)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(hash, out var entry) && time.GetElapsedTime(entry.ReadAt, now) < Freshness)
            return entry.Token;
        var generation = Interlocked.Read(ref _generation);
        var token = await read();
        if (token is null)
            _entries.TryRemove(hash, out _);
        else if (Interlocked.Read(ref _generation) == generation) // no revoke or company change saved meanwhile
            _entries[hash] = new Entry(token, now);
        return token;
    }

    /// <summary>Forgets every snapshot: the next request of each token reads it again.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}

/// <summary>Clears <see cref="TokenCache"/> when a save through this instance changes a token or a company.</summary>
sealed class TokenCacheInterceptor(TokenCache cache) : ISaveChangesInterceptor
{
    /// <summary>The contexts whose current save changes what a snapshot holds (pooled contexts are reused, so not a field of theirs).</summary>
    readonly ConditionalWeakTable<DbContext, object> _changing = [];

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Done(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Done(eventData.Context);
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Done(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        Done(eventData.Context);
        return Task.CompletedTask;
    }

    void Note(DbContext? context)
    {
        if (context is null || !ChangesTokenOrCompany(context.ChangeTracker)) return;
        cache.Clear(); // before the write, so no read started meanwhile is cached …
        _changing.AddOrUpdate(context, context);
    }

    /// <summary>
    /// Whether a tracked token or company is modified or deleted, detecting changes on those entries only: the
    /// save detects everyone's changes right after this, and a second full pass here cost every save of a
    /// request (a new case tracks some thirty entities) as much again.
    /// </summary>
    static bool ChangesTokenOrCompany(ChangeTracker tracker)
    {
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries())
            {
                if (entry.Entity is not (ApiToken or Company)) continue;
                if (autoDetect) entry.DetectChanges();
                if (entry.State is EntityState.Modified or EntityState.Deleted) return true;
            }
            return false;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    void Done(DbContext? context)
    {
        if (context is null || !_changing.Remove(context)) return;
        cache.Clear(); // … and after it, for reads that saw the old row while it was being written
    }
}
