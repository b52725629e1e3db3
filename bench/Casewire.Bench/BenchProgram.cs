using Npgsql;

namespace Casewire.Bench;

/// <summary>
/// <code>
/// Casewire.Bench COMMAND --server PATH [--databases Sqlite,Postgres] [--results bench/RESULTS.md] [--command TEXT]
///                        [--scripts bench/wrk] [--keep-logs yes] [command options]
///   delivery   drain and lateness of the outbox               --items 100000 --late-items 10000
///   reminders  10,000 reminders due in one minute, via the API  --reminders 10000
///   load       wrk: PUT contacts / projects, send-message vs GET me   --wrk-seconds 10 --connections 8
///   scale      RSS and GET contacts p99 at 1,000,000 rows      --rows 1000000
///   coldstart  process start → /health/ready 200             --runs 5
///   soak       mixed traffic for 10 minutes                   --minutes 10 --rate 100
///   mass       a mass message to 10,000 clients: accept, drain, each sent once   --recipients 10000
///   groupcommit  SQLite: a contact's storage work, a transaction each vs 32 per transaction   --contacts 16000
/// </code>
/// PostgreSQL runs need <c>CASEWIRE_TEST_POSTGRES</c> (bench/run.sh sets it through scripts/pg.sh).
/// Each command rewrites its own section of the results file. Exit code 0 when every run completed
/// (targets missed are reported, not failed), 1 otherwise.
/// </summary>
static class BenchProgram
{
    static readonly string[] Commands = ["delivery", "reminders", "load", "scale", "coldstart", "soak", "mass", "groupcommit"];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "bare") return await BareStack.RunAsync(args[1..]); // started by the load benchmark
        if (args.Length == 0 || !Commands.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: Casewire.Bench {string.Join('|', Commands)} --server PATH [--databases Sqlite,Postgres] [--results FILE] [--command TEXT] [options]");
            return 2;
        }
        var command = args[0];
        var options = ParseOptions(args[1..]);
        string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);

        var workDir = Directory.CreateTempSubdirectory("casewire-bench.").FullName;
        var serverBinary = Path.GetFullPath(options.GetValueOrDefault("server") ?? throw new ArgumentException("--server is required"));
        var postgresAdmin = Environment.GetEnvironmentVariable("CASEWIRE_TEST_POSTGRES");
        var context = new BenchContext(serverBinary, workDir, postgresAdmin, Path.GetFullPath(Option("scripts", "bench/wrk")), options);
        var databases = Option("databases", "Sqlite,Postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Ctrl-C or SIGTERM: cancel, so every server and database is disposed on the way out.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(context.Int("limit-minutes", 45)));
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, signal => { signal.Cancel = true; cancel.Cancel(); });
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var keepWorkDir = true;
        try
        {
            var loadBefore = ResultsFile.LoadAverage();
            var postgresVersion = databases.Contains("Postgres") ? await PostgresVersionAsync(postgresAdmin) : null;
            var commandLine = Option("command", "bash bench/run.sh");
            var (section, ok) = command switch
            {
                "delivery" => await DeliveryAsync(context, databases, commandLine, postgresVersion, loadBefore, cancel.Token),
                "load" => await EachAsync(databases, db => new LoadBenchmark(context).RunAsync(db, cancel.Token),
                    r => LoadBenchmark.Section(r, context, postgresVersion), r => r.Error is null),
                "reminders" => await EachAsync(databases, db => new ReminderBenchmark(context).RunAsync(db, cancel.Token),
                    r => ReminderBenchmark.Section(r, context, postgresVersion), r => r.Error is null),
                "scale" => await EachAsync(databases, db => new ScaleBenchmark(context).RunAsync(db, cancel.Token),
                    r => ScaleBenchmark.Section(r, context, postgresVersion), r => r.Error is null),
                "coldstart" => await EachAsync(databases, db => new ColdStartBenchmark(context).RunAsync(db, cancel.Token),
                    r => ColdStartBenchmark.Section(r, context, postgresVersion), r => r.Error is null),
                "mass" => await EachAsync(databases, db => new MassBenchmark(context).RunAsync(db, cancel.Token),
                    r => MassBenchmark.Section(r, context, postgresVersion), r => r.Complete),
                "groupcommit" => await EachAsync(databases.Where(d => d == "Sqlite"), db => new GroupCommitBenchmark(context).RunAsync(db, cancel.Token),
                    r => GroupCommitBenchmark.Section(r), r => r.Error is null),
                _ => await EachAsync(databases, db => new SoakBenchmark(context).RunAsync(db, cancel.Token),
                    r => SoakBenchmark.Section(r, context, postgresVersion), r => r.Error is null),
            };
            if (command != "delivery") section += "\n" + ResultsFile.Footer(commandLine, loadBefore);
            Console.WriteLine();
            Console.WriteLine(section);
            if (options.TryGetValue("results", out var resultsFile))
            {
                ResultsFile.WriteSection(resultsFile, command, section);
                DeliveryBenchmark.Log($"wrote the {command} section of {resultsFile}");
            }
            keepWorkDir = !ok || Option("keep-logs", "no") == "yes";
            return ok ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("canceled (Ctrl-C, SIGTERM or the time limit)");
            return 1;
        }
        finally
        {
            // Server logs and sink files stay for a look when something went wrong.
            if (keepWorkDir) Console.Error.WriteLine($"server logs kept in {workDir}");
            else Directory.Delete(workDir, recursive: true);
        }
    }

    /// <summary>Runs one benchmark per database, one after the other; returns its section and whether all completed.</summary>
    static async Task<(string Section, bool Ok)> EachAsync<T>(
        IEnumerable<string> databases, Func<string, Task<T>> run, Func<List<T>, string> section, Func<T, bool> complete)
    {
        var results = new List<T>();
        foreach (var database in databases) results.Add(await run(database));
        return (section(results), results.All(complete));
    }

    static async Task<(string, bool)> DeliveryAsync(
        BenchContext context, string[] databases, string command, string? postgresVersion, string loadBefore, CancellationToken ct)
    {
        var settings = new BenchSettings(
            ServerBinary: context.ServerBinary,
            WorkDir: context.WorkDir,
            PostgresAdmin: context.PostgresAdmin,
            DrainItems: context.Int("items", 100000),
            LatenessItems: context.Int("late-items", 10000),
            DrainTimeout: TimeSpan.FromMinutes(10),
            LatenessTimeout: TimeSpan.FromMinutes(2));
        var bench = new DeliveryBenchmark(settings);
        var results = new List<DeliveryResult>();
        foreach (var database in databases) results.Add(await bench.RunAsync(database, ct));
        return (ResultsFile.DeliverySection(results, settings, command, postgresVersion, loadBefore), results.All(r => r.Complete));
    }

    static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            var value = args[++i];
            if (value.Length > 0) options[args[i - 1][2..]] = value; // "--items ''": the default (bench/run.sh passes unset knobs so)
        }
        return options;
    }

    static async Task<string?> PostgresVersionAsync(string? admin)
    {
        if (admin is null) return null;
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            return connection.PostgreSqlVersion.ToString();
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
