using System.Data;
using System.Data.Common;
using System.Text;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Casewire.Delivery;

/// <summary>
/// Records a round's successful sends with two set-based statements — one <c>INSERT</c> of every
/// attempt row, one <c>UPDATE … FROM (VALUES …)</c> of every item — instead of EF's two statements
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
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                              ?? throw new InvalidOperationException("Sent outcomes are recorded inside the round's transaction.");

        var sql = new StringBuilder(
            """INSERT INTO "DeliveryAttempts" ("OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId") VALUES """);
        for (var i = 0; i < sent.Count; i++)
        {
            var attempt = sent[i].Attempt;
            if (i > 0) sql.Append(", ");
            sql.Append($"({Add(command, attempt.OutboxItemId)}, {Add(command, attempt.Number)}, {Add(command, attempt.Instance)}, ")
                .Append($"{Add(command, SqlInstants.Parameter(attempt.StartedAt, sqlite))}, {Add(command, SqlInstants.Parameter(attempt.FinishedAt ?? sentAt, sqlite))}, ")
                .Append($"'{nameof(AttemptOutcome.Sent)}', {Add(command, attempt.ProviderMessageId)})");
        }
        sql.Append(";\n");

        var rows = new StringBuilder();
        for (var i = 0; i < sent.Count; i++)
        {
            if (i > 0) rows.Append(", ");
            var (item, _) = sent[i];
            rows.Append(sqlite
                ? $"({Add(command, item.Id)}, {Add(command, item.ProviderMessageId)}, {Add(command, item.LeaseVersion)})"
                : $"({Add(command, item.Id)}::bigint, {Add(command, item.ProviderMessageId)}::text, {Add(command, item.LeaseVersion)}::integer)");
        }
        var at = Add(command, SqlInstants.Parameter(sentAt, sqlite));
        // Only where this instance still holds the lease (SPEC §10): the claim's owner and version.
        var held = $"""AND "OutboxItems"."LeaseOwner" = {Add(command, sent[0].Attempt.Instance)} AND "OutboxItems"."LeaseVersion" = v."Version" """;
        // Status is Sent unless a status callback moved it on meanwhile; every other field is ours.
        const string set = """
                           "Status" = CASE WHEN "Status" = 'Sending' THEN 'Sent' ELSE "Status" END,
                           "ProviderMessageId" = v."Pid", "ErrorCode" = NULL, "ErrorMessage" = NULL, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
                           """;
        sql.Append(sqlite
            ? $"""
               UPDATE "OutboxItems" SET {set}, "SentAt" = {at}
               FROM (SELECT column1 AS "Id", column2 AS "Pid", column3 AS "Version" FROM (VALUES {rows})) AS v
               WHERE "OutboxItems"."Id" = v."Id" {held};
               """
            : $"""
               UPDATE "OutboxItems" SET {set}, "SentAt" = {at}
               FROM (VALUES {rows}) AS v("Id", "Pid", "Version")
               WHERE "OutboxItems"."Id" = v."Id" {held};
               """);
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);

        foreach (var (item, _) in sent)
        {
            var entry = db.Entry(item);
            entry.OriginalValues.SetValues(entry.CurrentValues); // what the UPDATE wrote (bar a callback's newer status)
            entry.State = EntityState.Unchanged;
        }
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
