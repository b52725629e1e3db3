using System.Buffers;
using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Casewire.Delivery;

/// <summary>
/// Records a round's successful sends with two set-based statements — one <c>INSERT</c> of every
/// attempt row, one <c>UPDATE … FROM</c> the list of items — instead of EF's two statements
/// per item. The bulk of every drain is successful sends, so this is what sets its rate (bench/RESULTS.md).
/// Same rule as the per-item path: a status callback may already have moved an item on (delivered,
/// failed); it keeps that newer status and takes the other fields.
/// </summary>
static class SentOutcomes
{
    /// <summary>
    /// Writes <paramref name="sent"/> in the caller's transaction, then marks the tracked items as
    /// saved so the caller's <c>SaveChanges</c> writes only the rest of the round.
    /// </summary>
    public static async Task RecordAsync(CasewireDb db, IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> sent, DateTimeOffset sentAt,
        CancellationToken ct)
    {
        if (sent.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                              ?? throw new InvalidOperationException("Sent outcomes are recorded inside the round's transaction.");
        if (db.Database.IsSqlite()) WriteSqlite(command, sent, sentAt);
        else WritePostgres(command, sent, sentAt);
        await command.ExecuteNonQueryAsync(ct);

        foreach (var (item, _) in sent)
        {
            var entry = db.Entry(item);
            entry.OriginalValues.SetValues(entry.CurrentValues); // what the UPDATE wrote (bar a callback's newer status)
            entry.State = EntityState.Unchanged;
        }
    }

    /// <summary>Status is Sent unless a status callback moved it on meanwhile; every other field is ours.</summary>
    const string Set = """
                       "Status" = CASE WHEN "Status" = 'Sending' THEN 'Sent' ELSE "Status" END,
                       "ProviderMessageId" = v."Pid", "ErrorCode" = NULL, "ErrorMessage" = NULL, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
                       """;

    /// <summary>
    /// SQLite: the rows as two JSON arrays, one parameter each, read with <c>json_each</c>. Microsoft.Data.Sqlite binds a
    /// parameter by looking its name up in each statement (<c>sqlite3_bind_parameter_index</c>, a linear search), so the
    /// 2,000 parameters of a 200-item round cost time quadratic in the round: 15 ms of its 34 (bench/RESULTS.md).
    /// </summary>
    static void WriteSqlite(DbCommand command, IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> sent, DateTimeOffset sentAt)
    {
        var attempts = Json(sent, (json, s) =>
        {
            json.WriteNumberValue(s.Attempt.OutboxItemId);
            json.WriteNumberValue(s.Attempt.Number);
            json.WriteStringValue(s.Attempt.Instance);
            json.WriteNumberValue(s.Attempt.StartedAt.ToUnixTimeMilliseconds()); // instants as SQLite stores them (SqlInstants)
            json.WriteNumberValue((s.Attempt.FinishedAt ?? sentAt).ToUnixTimeMilliseconds());
            json.WriteStringValue(s.Attempt.ProviderMessageId);
        });
        var items = Json(sent, (json, s) =>
        {
            json.WriteNumberValue(s.Item.Id);
            json.WriteStringValue(s.Item.ProviderMessageId);
            json.WriteNumberValue(s.Item.LeaseVersion);
        });
        command.CommandText = $"""
            INSERT INTO "DeliveryAttempts" ("OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId")
            SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, '{nameof(AttemptOutcome.Sent)}', j.value ->> 5
            FROM json_each({Add(command, attempts)}) AS j ORDER BY j.key;
            UPDATE "OutboxItems" SET {Set}, "SentAt" = {Add(command, SqlInstants.Parameter(sentAt, sqlite: true))}
            FROM (SELECT j.value ->> 0 AS "Id", j.value ->> 1 AS "Pid", j.value ->> 2 AS "Version" FROM json_each({Add(command, items)}) AS j) AS v
            WHERE "OutboxItems"."Id" = v."Id" {HeldBy(command, sent)};
            """;
    }

    /// <summary>PostgreSQL: a <c>VALUES</c> list of parameters (Npgsql binds them by position).</summary>
    static void WritePostgres(DbCommand command, IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> sent, DateTimeOffset sentAt)
    {
        var sql = new StringBuilder(
            """INSERT INTO "DeliveryAttempts" ("OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId") VALUES """);
        for (var i = 0; i < sent.Count; i++)
        {
            var attempt = sent[i].Attempt;
            if (i > 0) sql.Append(", ");
            sql.Append($"({Add(command, attempt.OutboxItemId)}, {Add(command, attempt.Number)}, {Add(command, attempt.Instance)}, ")
                .Append($"{Add(command, SqlInstants.Parameter(attempt.StartedAt, sqlite: false))}, {Add(command, SqlInstants.Parameter(attempt.FinishedAt ?? sentAt, sqlite: false))}, ")
                .Append($"'{nameof(AttemptOutcome.Sent)}', {Add(command, attempt.ProviderMessageId)})");
        }
        sql.Append(";\n");
        var rows = new StringBuilder();
        for (var i = 0; i < sent.Count; i++)
        {
            if (i > 0) rows.Append(", ");
            var (item, _) = sent[i];
            rows.Append($"({Add(command, item.Id)}::bigint, {Add(command, item.ProviderMessageId)}::text, {Add(command, item.LeaseVersion)}::integer)");
        }
        sql.Append($"""
                    UPDATE "OutboxItems" SET {Set}, "SentAt" = {Add(command, SqlInstants.Parameter(sentAt, sqlite: false))}
                    FROM (VALUES {rows}) AS v("Id", "Pid", "Version")
                    WHERE "OutboxItems"."Id" = v."Id" {HeldBy(command, sent)};
                    """);
        command.CommandText = sql.ToString();
    }

    /// <summary>Only where this instance still holds the lease (SPEC §10): the claim's owner and version.</summary>
    static string HeldBy(DbCommand command, IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> sent) =>
        $"""AND "OutboxItems"."LeaseOwner" = {Add(command, sent[0].Attempt.Instance)} AND "OutboxItems"."LeaseVersion" = v."Version" """;

    /// <summary>A JSON array with an array per send, written by <paramref name="row"/>.</summary>
    static string Json(IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> sent, Action<Utf8JsonWriter, (OutboxItem Item, DeliveryAttempt Attempt)> row)
    {
        var buffer = new ArrayBufferWriter<byte>(sent.Count * 96);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var send in sent)
            {
                json.WriteStartArray();
                row(json, send);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static string Add(DbCommand command, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = $"@p{command.Parameters.Count}";
        parameter.Value = value ?? DBNull.Value;
        if (value is null or string) parameter.DbType = DbType.String;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
