using Npgsql;

namespace Casewire.Bench;

/// <summary>
/// <code>
/// Casewire.Bench delivery --server PATH [--databases Sqlite,Postgres] [--items 100000]
///                         [--late-items 10000] [--results bench/RESULTS.md] [--command TEXT] [--keep-logs yes]
/// </code>
/// PostgreSQL runs need <c>CASEWIRE_TEST_POSTGRES</c> (bench/run.sh sets it through scripts/pg.sh).
/// Exit code 0 when every run completed (targets missed are reported, not failed), 1 otherwise.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "delivery")
        {
            Console.Error.WriteLine("usage: Casewire.Bench delivery --server PATH [--databases Sqlite,Postgres] [--items N] [--late-items N] [--results FILE] [--command TEXT] [--keep-logs yes]");
            return 2;
        }
        var options = ParseOptions(args[1..]);
        string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);

        var workDir = Directory.CreateTempSubdirectory("casewire-bench.").FullName;
        var settings = new BenchSettings(
            ServerBinary: Path.GetFullPath(options.GetValueOrDefault("server") ?? throw new ArgumentException("--server is required")),
            WorkDir: workDir,
            PostgresAdmin: Environment.GetEnvironmentVariable("CASEWIRE_TEST_POSTGRES"),
            DrainItems: int.Parse(Option("items", "100000")),
            LatenessItems: int.Parse(Option("late-items", "10000")),
            DrainTimeout: TimeSpan.FromMinutes(10),
            LatenessTimeout: TimeSpan.FromMinutes(2));
        var databases = Option("databases", "Sqlite,Postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Ctrl-C or SIGTERM: cancel, so every server and database is disposed on the way out.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(45));
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; cancel.Cancel(); });
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var keepWorkDir = true;
        try
        {
            var loadBefore = ResultsFile.LoadAverage();
            var bench = new DeliveryBenchmark(settings);
            var results = new List<DeliveryResult>();
            foreach (var database in databases)
                results.Add(await bench.RunAsync(database, cancel.Token));

            var postgresVersion = databases.Contains("Postgres") ? await PostgresVersionAsync(settings.PostgresAdmin) : null;
            var section = ResultsFile.DeliverySection(results, settings, Option("command", "bash bench/run.sh"), postgresVersion, loadBefore);
            Console.WriteLine();
            Console.WriteLine(section);
            if (options.TryGetValue("results", out var resultsFile))
            {
                ResultsFile.WriteSection(resultsFile, "delivery", section);
                DeliveryBenchmark.Log($"wrote the delivery section of {resultsFile}");
            }
            var ok = results.All(r => r.Complete);
            keepWorkDir = !ok || Option("keep-logs", "no") == "yes";
            return ok ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("canceled (Ctrl-C, SIGTERM or the 45-minute limit)");
            return 1;
        }
        finally
        {
            // Server logs and sink files stay for a look when something went wrong.
            if (keepWorkDir) Console.Error.WriteLine($"server logs kept in {workDir}");
            else Directory.Delete(workDir, recursive: true);
        }
    }

    static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            options[args[i][2..]] = args[++i];
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
