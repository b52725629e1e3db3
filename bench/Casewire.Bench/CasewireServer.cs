using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Casewire.Bench;

/// <summary>
/// The real server binary as a child process on a free loopback port, configured by environment
/// variables as in production (scripts/crash-test.sh). The child inherits this process's
/// environment, so <c>Delivery__BatchSize=…</c> and friends given to bench/run.sh reach it.
/// Output goes to a log file; disposing stops it (SIGTERM, then kill after a grace period).
/// </summary>
sealed class CasewireServer : IAsyncDisposable
{
    readonly Process _process;
    readonly StreamWriter _log;

    CasewireServer(Process process, StreamWriter log, DateTimeOffset startedAt, string logPath, Uri baseUri)
    {
        _process = process;
        _log = log;
        StartedAt = startedAt;
        LogPath = logPath;
        BaseUri = baseUri;
    }

    /// <summary>When the process was started: wall time is measured from here.</summary>
    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset ReadyAt { get; private set; }
    public string LogPath { get; }
    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri BaseUri { get; }
    /// <summary>The sink file (SPEC §9): one JSON line per message the sink "sent".</summary>
    public string SinkPath { get; private init; } = "";

    /// <summary>deliveryId → sentAt of every line the sink has written so far (it may still be writing).</summary>
    public Dictionary<long, DateTimeOffset> SentAtByDelivery()
    {
        var sent = new Dictionary<long, DateTimeOffset>();
        if (!File.Exists(SinkPath)) return sent;
        using var reader = new StreamReader(new FileStream(SinkPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            sent[json.RootElement.GetProperty("deliveryId").GetInt64()] =
                DateTimeOffset.Parse(json.RootElement.GetProperty("sentAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        return sent;
    }
    long _sinkBytesRead, _sinkLines;

    /// <summary>
    /// How many lines the sink has written so far, read on from where the last call stopped: a cheap way to follow a run
    /// without asking the database (whose counting query, every 250 ms over 100,000 rows, took PostgreSQL's CPU from the run).
    /// </summary>
    public long SinkLines()
    {
        if (!File.Exists(SinkPath)) return 0;
        using var stream = new FileStream(SinkPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(_sinkBytesRead, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            _sinkLines += buffer.AsSpan(0, read).Count((byte)'\n');
            _sinkBytesRead += read;
        }
        return _sinkLines;
    }

    public int ProcessId => _process.Id;
    /// <summary>Process start → first <c>/health/ready</c> 200, as seen by a poll every <c>readyPoll</c>.</summary>
    public TimeSpan StartupTime => ReadyAt - StartedAt;

    /// <param name="environment">Server settings for this run only (e.g. <c>RateLimit__PermitsPerMinute=0</c>).</param>
    /// <param name="readyPoll">How often <c>/health/ready</c> is asked while starting (the cold-start benchmark asks often).</param>
    public static async Task<CasewireServer> StartAsync(
        string binary, BenchDatabase database, string workDir, string run, TimeSpan readyTimeout, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? readyPoll = null)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(binary, ["--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Database__Provider"] = database.Provider;
        start.Environment["ConnectionStrings__Casewire"] = database.ConnectionString;
        var sink = Path.Combine(workDir, $"{run}.sink.jsonl");
        start.Environment["Sink__File"] = sink;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return await LaunchAsync(start, port, workDir, run, sink, readyTimeout, readyPoll ?? TimeSpan.FromMilliseconds(50), ct);
    }

    /// <summary>
    /// The bare ASP.NET Core app (<see cref="BareStack"/>): this program again, as a process of its own, with
    /// Server GC as the Casewire server has it (the Web SDK's default; a console app's is workstation GC).
    /// </summary>
    public static async Task<CasewireServer> StartBareAsync(string workDir, string run, TimeSpan readyTimeout, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet",
            [typeof(CasewireServer).Assembly.Location, "bare", "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "1";
        return await LaunchAsync(start, port, workDir, run, "", readyTimeout, TimeSpan.FromMilliseconds(50), ct);
    }

    static async Task<CasewireServer> LaunchAsync(
        ProcessStartInfo start, int port, string workDir, string run, string sink, TimeSpan readyTimeout, TimeSpan readyPoll, CancellationToken ct)
    {
        var logPath = Path.Combine(workDir, $"{run}.server.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        var startedAt = DateTimeOffset.UtcNow;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new CasewireServer(process, log, startedAt, logPath, new Uri($"http://127.0.0.1:{port}/")) { SinkPath = sink };
        try
        {
            await server.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), readyTimeout, readyPoll, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    async Task WaitUntilReadyAsync(Uri health, TimeSpan timeout, TimeSpan poll, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was ready; see {LogPath}");
            try
            {
                using var response = await http.GetAsync(health, ct);
                if (response.IsSuccessStatusCode)
                {
                    ReadyAt = DateTimeOffset.UtcNow;
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(poll, ct);
        }
        throw new TimeoutException($"the server was not ready within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    /// <summary>CPU time the server process has used so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory of the server process now (<c>VmRSS</c> of /proc/PID/status), in MiB.</summary>
    public double ResidentMiB() => ProcStatusMiB("VmRSS:");

    /// <summary>The most the server process has been resident so far (<c>VmHWM</c>), in MiB.</summary>
    public double PeakResidentMiB() => ProcStatusMiB("VmHWM:");

    double ProcStatusMiB(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException($"no {key} in /proc/{_process.Id}/status");
    }

    /// <summary>Throws when the server died: a benchmark must not wait out its timeout for nothing.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"the server exited with code {_process.ExitCode}; see {LogPath}");
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A graceful stop (the host's SIGTERM handling) first; the process is ours, by its id.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.WaitForExit(); // drains the redirected output into the log
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
