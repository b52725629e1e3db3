using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// The built app (<c>src/Casewire/bin/{Configuration}/net10.0/casewire.dll</c>, run by <c>dotnet</c>) as a separate OS
/// process on a free loopback port, configured only by environment variables, as an operator runs it. Started when
/// <c>/health/ready</c> answers; <see cref="Kill"/> is SIGKILL (no shutdown, no cleanup: a crash). Its output is kept
/// for a failing test's message.
/// </summary>
public sealed class CasewireProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();
    readonly ConcurrentQueue<string> _head = new();

    CasewireProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The first lines the process wrote (its start-up banner among them).</summary>
    public string Head => string.Join('\n', _head);

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Output(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>The app's main assembly, built next to the tests (same configuration).</summary>
    public static string AppDll
    {
        get
        {
            var tests = AppContext.BaseDirectory; // tests/Casewire.Tests/bin/{Configuration}/net10.0/
            var framework = new DirectoryInfo(tests.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var root = framework.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "Casewire", "bin", configuration, framework.Name, "casewire.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The app is not built at {dll}: build Casewire.slnx first.");
        }
    }

    /// <summary>Starts the app with <paramref name="settings"/> (configuration keys such as <c>Delivery:Instance</c>) and waits until it is ready.</summary>
    public static async Task<CasewireProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? readyWithin = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
        };
        start.ArgumentList.Add(AppDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new CasewireProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"Casewire exited with {process.ExitCode} at start-up:\n{app.Output()}");
            try
            {
                if ((await http.GetAsync(app.BaseUrl + "/health/ready")).StatusCode == HttpStatusCode.OK) return app;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { }
            if (deadline.Elapsed > (readyWithin ?? TimeSpan.FromSeconds(60)))
            {
                app.Kill();
                throw new TimeoutException($"Casewire was not ready within {deadline.Elapsed}:\n{app.Output()}");
            }
            await Task.Delay(100);
        }
    }

    void Keep(string? line)
    {
        if (line is null) return;
        if (_head.Count < 100) _head.Enqueue(line);
        _output.Enqueue(line);
        while (_output.Count > 500) _output.TryDequeue(out _);
    }

    /// <summary>SIGKILL: the process stops at once, mid-send, with nothing recorded or released.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false); // SIGKILL on Unix
        _process.WaitForExit();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
