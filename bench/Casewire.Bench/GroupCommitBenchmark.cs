using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Casewire.Bench;

sealed record GroupCommitRun(string Mode, int Round, double ContactsPerSecond, double CpuMicrosecondsPerContact);

sealed record GroupCommitResult(int Contacts, List<GroupCommitRun> Runs, string? Error);

/// <summary>
/// What a group commit could save on SQLite (issue 18), measured where it acts: the storage work of <c>PUT /contacts</c> for a
/// new contact (its look-up by external id and its <c>INSERT … RETURNING</c>, the statements EF runs) on a database
/// Casewire's migrations made, with the server's settings (WAL, <c>synchronous=NORMAL</c>, <c>busy_timeout</c>, foreign keys).
/// One transaction per contact — one writer, and 32 writers at once as 32 connections would — against 32 contacts per
/// transaction with a savepoint each, which is what a group commit does with 32 requests. CPU is this process's own (the
/// SQLite library runs in it); nothing else of a request (HTTP, authentication, JSON, EF) is in the figures.
/// </summary>
sealed class GroupCommitBenchmark(BenchContext context)
{
    const int Group = 32;

    public async Task<GroupCommitResult> RunAsync(string provider, CancellationToken ct)
    {
        var contacts = context.Int("contacts", 16_000);
        var runs = new List<GroupCommitRun>();
        if (provider != "Sqlite") return new GroupCommitResult(contacts, runs, "SQLite only: PostgreSQL commits are the server's, and it groups them itself (commit_delay)");
        try
        {
            await using var db = await BenchDatabase.CreateAsync(provider, "groupcommit", context.WorkDir, context.PostgresAdmin);
            var companyId = await db.PrepareAsync(ct);
            var next = 0;
            for (var round = 1; round <= 2; round++)
            {
                runs.Add(Measure("one transaction per contact, 1 writer", round, 1, contacts, c => Single(c, companyId, contacts, ref next), db.ConnectionString, ct));
                runs.Add(Measure($"one transaction per contact, {Group} writers", round, Group, contacts, c => Single(c, companyId, contacts / Group, ref next), db.ConnectionString, ct));
                runs.Add(Measure($"{Group} contacts per transaction, a savepoint each", round, 1, contacts, c => Grouped(c, companyId, contacts, ref next), db.ConnectionString, ct));
            }
            return new GroupCommitResult(contacts, runs, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryBenchmark.Log($"group commit: FAILED: {e.Message}");
            return new GroupCommitResult(contacts, runs, e.Message);
        }
    }

    static GroupCommitRun Measure(string mode, int round, int writers, int contacts, Action<SqliteConnection> write, string connectionString, CancellationToken ct)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = ct }, _ =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            Execute(connection, null, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;");
            write(connection);
        });
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var run = new GroupCommitRun(mode, round, contacts / clock.Elapsed.TotalSeconds, used.TotalMicroseconds / contacts);
        DeliveryBenchmark.Log($"group commit, {mode} (round {round}): {run.ContactsPerSecond:N0} contacts/s, {run.CpuMicrosecondsPerContact:N1} µs CPU per contact");
        return run;
    }

    static void Single(SqliteConnection connection, int companyId, int count, ref int next)
    {
        for (var i = 0; i < count; i++)
        {
            using var transaction = connection.BeginTransaction();
            Write(connection, transaction, companyId, Interlocked.Increment(ref next));
            transaction.Commit();
        }
    }

    static void Grouped(SqliteConnection connection, int companyId, int count, ref int next)
    {
        for (var done = 0; done < count; done += Group)
        {
            using var transaction = connection.BeginTransaction();
            for (var i = 0; i < Group && done + i < count; i++)
            {
                transaction.Save("request"); // one request's writes, undone alone if it fails
                Write(connection, transaction, companyId, Interlocked.Increment(ref next));
                transaction.Release("request");
            }
            transaction.Commit(); // every request of the group answered only now
        }
    }

    /// <summary>A new contact as <c>PUT /contacts</c> writes it: is the external id known, then the insert.</summary>
    static void Write(SqliteConnection connection, SqliteTransaction transaction, int companyId, int n)
    {
        var externalId = $"contact-{n}";
        Execute(connection, transaction, """SELECT "Id" FROM "Contacts" WHERE "CompanyId" = @c AND "ExternalId" = @e LIMIT 1""",
            ("@c", companyId), ("@e", externalId));
        Execute(connection, transaction, """
            INSERT INTO "Contacts" ("CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "CreatedAt", "UpdatedAt")
            VALUES (@c, @e, 'Ann', 'Lee', @m, @p, @t, @t) RETURNING "Id"
            """, ("@c", companyId), ("@e", externalId), ("@m", $"ann{n}@example.com"), ("@p", $"+1555{n % 10_000_000:D7}"),
            ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteScalar();
    }

    public static string Section(List<GroupCommitResult> results)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("## Group commit on SQLite: what it could save (issue 18)");
        s.AppendLine();
        s.AppendLine(ic, $"The storage work of `PUT /partner/v2/contacts` for a new contact (look-up by external id, `INSERT … RETURNING`), {results.FirstOrDefault()?.Contacts ?? 0:N0} contacts per mode, on a fresh database made by Casewire's migrations with the server's SQLite settings; CPU of the benchmark process, where SQLite runs. A group commit would turn the first two rows into the third; what it saves per request is the difference in CPU per contact, to be read against a whole request's CPU in the load section (decision in docs/decisions.md, \"Group commit on SQLite\").");
        s.AppendLine();
        s.AppendLine("| Mode | Round | Contacts/s | CPU µs per contact |");
        s.AppendLine("|---|---:|---:|---:|");
        foreach (var result in results)
        {
            foreach (var run in result.Runs)
                s.AppendLine(ic, $"| {run.Mode} | {run.Round} | {run.ContactsPerSecond:N0} | {run.CpuMicrosecondsPerContact:N1} |");
            if (result.Error is not null) s.AppendLine(ic, $"\n- Not measured: {result.Error}");
        }
        return s.ToString();
    }
}
