using System.Diagnostics;
using System.Text.Json;

namespace Casewire.Bench;

/// <summary>One wrk run's numbers, from the <c>WRK_RESULT</c> line of bench/wrk/common.lua's <c>done()</c>.</summary>
sealed record WrkResult(
    long Requests, long DurationUs, long Bytes, long ConnectErrors, long ReadErrors, long WriteErrors, long StatusErrors,
    long Timeouts, long P50Us, long P90Us, long P99Us, long MaxUs, double MeanUs)
{
    public double RequestsPerSecond => Requests / (DurationUs / 1e6);
    public double P50Ms => P50Us / 1000.0;
    public double P99Ms => P99Us / 1000.0;
    public long Errors => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts;
}

/// <summary>
/// Runs wrk (HTTP/1.1 keep-alive load from a second process on loopback) with one of the Lua
/// scripts of bench/wrk against a running server. One wrk thread unless told otherwise: on a 2-core machine
/// the server needs the other core more than wrk does (the load benchmark uses two, as issue 18 measured).
/// </summary>
sealed class Wrk(string scriptsDir, int connections, int threads = 1)
{
    public int Connections => connections;

    public async Task<WrkResult> RunAsync(
        CasewireServer server, string script, TimeSpan duration, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk",
        [
            $"-t{threads}", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "30s",
            "-s", Path.Combine(scriptsDir, script), server.BaseUri.ToString().TrimEnd('/'),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["BENCH_CONNECTIONS"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK_RESULT ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"wrk {script} printed no result (exit {process.ExitCode}): {output} {await stderr}");
        var result = JsonSerializer.Deserialize<WrkResult>(line["WRK_RESULT ".Length..], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        server.EnsureRunning();
        return result;
    }
}
