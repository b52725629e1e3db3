using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// Hands every command EF runs (reader, non-query, scalar; sync and async) to <see cref="Record"/>. An interceptor,
/// not EF's DiagnosticListener events: EF stops raising those for a while when nobody listened, so a listener
/// subscribed mid-run misses statements.
/// </summary>
public abstract class CommandListener : DbCommandInterceptor
{
    protected abstract void Record(DbCommand command);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}
