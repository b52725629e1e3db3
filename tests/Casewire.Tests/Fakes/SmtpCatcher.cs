using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Casewire.Tests.Fakes;

/// <summary>
/// A real SMTP server on 127.0.0.1 (a free port) that keeps every message it accepts, parsed with
/// MimeKit, and can answer the next messages' DATA with a chosen reply (451, 550…) instead, or stall
/// every command as an overloaded mail server does (<see cref="Stall"/>).
/// </summary>
public sealed class SmtpCatcher : IAsyncDisposable
{
    /// <summary>One accepted message with its envelope recipients (RCPT TO).</summary>
    public sealed record Caught(MimeMessage Message, IReadOnlyList<string> EnvelopeTo);

    readonly CancellationTokenSource _stop = new();
    readonly Stalls _stalls;
    readonly CatcherStore _store;
    Task _running = Task.CompletedTask;

    public int Port { get; private set; }

    SmtpCatcher()
    {
        _stalls = new Stalls(_stop.Token);
        _store = new CatcherStore(_stalls);
    }

    /// <param name="login">When set, the catcher requires this login (AUTH PLAIN/LOGIN, allowed without TLS) before MAIL FROM.</param>
    public static async Task<SmtpCatcher> StartAsync((string User, string Password)? login = null)
    {
        var catcher = new SmtpCatcher();
        var listening = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => listening.TrySetResult(e.LocalEndPoint);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("catcher.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)) // port 0: the OS picks a free one
                .AuthenticationRequired(login is not null).AllowUnsecureAuthentication(login is not null))
            .Build();
        var services = new ServiceProvider();
        services.Add(catcher._store);
        services.Add((IMailboxFilter)new StallingFilter(catcher._stalls));
        services.Add(listeners);
        if (login is { } required) services.Add((SmtpServer.Authentication.IUserAuthenticator)new RequiredLogin(required.User, required.Password));
        var server = new SmtpServer.SmtpServer(options, services);
        catcher._running = server.StartAsync(catcher._stop.Token);

        var endpoint = await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        catcher.Port = ((IPEndPoint)endpoint).Port;
        return catcher;
    }

    /// <summary>Every message accepted so far, in arrival order.</summary>
    public IReadOnlyList<Caught> Messages => _store.Accepted();

    /// <summary>How many messages were answered with a rejection.</summary>
    public int Rejected => _store.RejectedCount;

    /// <summary>Answers the next <paramref name="count"/> messages' DATA with <paramref name="code"/> instead of accepting them.</summary>
    public void RejectNext(int count, int code, string text) => _store.RejectNext(count, new SmtpResponse((SmtpReplyCode)code, text));

    /// <summary>
    /// Takes <paramref name="perCommand"/> (real time) before answering each MAIL FROM, RCPT TO and DATA from now on;
    /// null answers at once again. A stall ends early when the catcher is disposed.
    /// </summary>
    public void Stall(TimeSpan? perCommand) => _stalls.PerCommand = perCommand;

    /// <summary>How many commands are being stalled right now (each is a client waiting for an answer).</summary>
    public int Stalling => _stalls.Holding;

    /// <summary>Forgets what was received and any pending rejections (each test starts clean on a shared catcher).</summary>
    public void Clear() => _store.Clear();

    /// <summary>The next message is taken (kept as caught), then its 250 never comes: the client times out after handing it over.</summary>
    public void AcceptThenHangNext() => _store.AcceptThenHangNext();

    /// <summary>A loopback port nothing listens on (bound by the OS, then released).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    sealed class Stalls(CancellationToken disposed)
    {
        int _holding;

        public TimeSpan? PerCommand { get; set; }
        public int Holding => Volatile.Read(ref _holding);

        public async Task WaitAsync(CancellationToken ct)
        {
            if (PerCommand is not { } stall) return;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, disposed);
            Interlocked.Increment(ref _holding);
            try { await Task.Delay(stall, either.Token); }
            catch (OperationCanceledException) { }
            finally { Interlocked.Decrement(ref _holding); }
        }
    }

    sealed class StallingFilter(Stalls stalls) : IMailboxFilter
    {
        public async Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken)
        {
            await stalls.WaitAsync(cancellationToken);
            return true;
        }

        public async Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken)
        {
            await stalls.WaitAsync(cancellationToken);
            return true;
        }
    }

    sealed class CatcherStore(Stalls stalls) : MessageStore
    {
        readonly Lock _lock = new();
        readonly List<Caught> _accepted = [];
        readonly Queue<SmtpResponse> _rejections = new();
        bool _hangNext;

        public void AcceptThenHangNext()
        {
            lock (_lock) _hangNext = true;
        }

        public int RejectedCount { get; private set; }

        public IReadOnlyList<Caught> Accepted()
        {
            lock (_lock) return _accepted.ToList();
        }

        public void RejectNext(int count, SmtpResponse reply)
        {
            lock (_lock) for (var i = 0; i < count; i++) _rejections.Enqueue(reply);
        }

        public void Clear()
        {
            lock (_lock)
            {
                _accepted.Clear();
                _rejections.Clear();
                RejectedCount = 0;
            }
        }

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await stalls.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (_rejections.TryDequeue(out var reply))
                {
                    RejectedCount++;
                    return reply;
                }
            }
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var envelopeTo = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            bool hang;
            lock (_lock)
            {
                _accepted.Add(new Caught(message, envelopeTo));
                (hang, _hangNext) = (_hangNext, false);
            }
            if (hang)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken); }
                catch (OperationCanceledException) { } // the catcher stops
            }
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>Accepts exactly one user name and password.</summary>
sealed class RequiredLogin(string user, string password) : SmtpServer.Authentication.IUserAuthenticator
{
    public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken) =>
        Task.FromResult(user1 == user && password1 == password);
}
