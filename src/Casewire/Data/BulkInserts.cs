using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Casewire.Data;

/// <summary>
/// Inserts many new rows of one entity type in one multi-row <c>INSERT … RETURNING "Id"</c> per chunk, inside the caller's
/// transaction, and sets each row's generated id. For the few paths that write thousands of rows at once (a mass
/// message's messages and deliveries): EF's change tracking costs more than the rows themselves there. Columns and
/// value conversions (enums by name, instants as SQLite's milliseconds) come from the EF model, so the rows are the
/// ones <c>SaveChanges</c> would write. The rows are not tracked.
/// </summary>
static class BulkInserts
{
    /// <summary>
    /// Parameters per statement. PostgreSQL takes 65,535; a chunk keeps the text moderate. Microsoft.Data.Sqlite binds
    /// each parameter by name, and SQLite finds a name by a linear search, so a statement's binding grows with the
    /// square of its parameters: there short statements are much faster (measured: 8,000 per statement made 10,000
    /// recipients no faster than one tracked entity each).
    /// </summary>
    static int MaxParameters(CasewireDb db) => db.Database.IsSqlite() ? 240 : 8_000;

    public static async Task InsertAsync<T>(CasewireDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction)
            throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (its ids are read back in order).");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p != key && p.GetColumnName(table) is not null).ToList();
        var perChunk = Math.Max(1, MaxParameters(db) / columns.Count);
        var names = string.Join(", ", columns.Select(c => $"\"{c.GetColumnName(table)}\""));

        foreach (var chunk in rows.Chunk(perChunk))
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO \"{table.Name}\" ({names}) VALUES ");
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = $"@p{r * columns.Count + c}";
                    sql.Append(c == 0 ? name : ", " + name);
                    command.Parameters.Add(Parameter(command, name, columns[c], chunk[r]));
                }
                sql.Append(')');
            }
            sql.Append($" RETURNING \"{key.GetColumnName(table)}\"");
            command.CommandText = sql.ToString();

            // One statement's rows get their ids in the order of its VALUES (SQLite: under its one writer lock;
            // PostgreSQL: the sequence is read row after row), so the ids sorted are the rows' ids in order.
            var ids = new List<long>(chunk.Length);
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) ids.Add(Convert.ToInt64(reader.GetValue(0)));
            ids.Sort();
            for (var r = 0; r < chunk.Length; r++)
                key.PropertyInfo!.SetValue(chunk[r], Convert.ChangeType(ids[r], key.ClrType));
        }
    }

    /// <summary>The row's value of <paramref name="column"/> as EF would send it (its type mapping converts and types it).</summary>
    static DbParameter Parameter(DbCommand command, string name, IProperty column, object row)
    {
        var property = column.PropertyInfo ?? throw new InvalidOperationException($"{column.Name} has no CLR property to read.");
        return column.GetRelationalTypeMapping().CreateParameter(command, name, property.GetValue(row), column.IsNullable);
    }
}
