using System.Net.Http.Headers;
using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP (TestServer) on its own database: a temp SQLite file, or — when
/// <c>CASEWIRE_TEST_POSTGRES</c> holds a server connection string (scripts/test.sh sets it) — a
/// fresh PostgreSQL database. Time is a <see cref="FakeTimeProvider"/> the test drives.
/// One instance per test class (<c>IClassFixture</c>). The dispatcher does not run by itself:
/// tests send what is due with <see cref="DispatchAsync"/> after moving <see cref="Time"/>.
/// Subclasses add configuration (<see cref="Configure"/>) and start fakes first (<see cref="BeforeStartAsync"/>).
/// </summary>
public class CasewireApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 1, 6, 15, 0, 0, TimeSpan.Zero); // a Tuesday, 10:00 in New York

    static readonly string? PostgresServer = Environment.GetEnvironmentVariable("CASEWIRE_TEST_POSTGRES");
    public static bool OnPostgres => !string.IsNullOrEmpty(PostgresServer);

    readonly string _folder = Path.Combine(Path.GetTempPath(), "casewire-tests", Guid.NewGuid().ToString("N"));
    readonly string _postgresDatabase = "cw_" + Guid.NewGuid().ToString("N");

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Set to run on a database another app created (several instances sharing one outbox).</summary>
    readonly string? _sharedConnectionString;

    public CasewireApp() { }

    protected CasewireApp(string sharedConnectionString) => _sharedConnectionString = sharedConnectionString;

    /// <summary>The clock the app runs on: <see cref="Time"/> unless a subclass wants the real one.</summary>
    protected virtual TimeProvider Clock => Time;

    public string ConnectionString => _sharedConnectionString ?? (OnPostgres
        ? new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _postgresDatabase, Pooling = true }.ConnectionString
        : $"Data Source={Path.Combine(_folder, "casewire.db")}");

    /// <summary>The SQLite file, for tests that inspect it (null on PostgreSQL).</summary>
    public string? SqliteFile => OnPostgres ? null : Path.Combine(_folder, "casewire.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (OnPostgres && _sharedConnectionString is null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_postgresDatabase}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        await BeforeStartAsync();
        StartHost();
    }

    /// <summary>Starts the host now, so migrations run here and not inside the first test. In memory (TestServer) unless a subclass serves on a real port.</summary>
    protected virtual void StartHost() => _ = Server;

    /// <summary>Runs before the app starts, e.g. to start a fake provider whose address goes into <see cref="Configure"/>.</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Configuration keys for this app (e.g. <c>Sms:Provider</c>); the defaults are set first.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings) { }

    /// <summary>Replaces services for this app (e.g. a scripted provider); runs after the app's own registrations.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>The sink's JSON-lines file (SPEC §9): every message the sink "sent".</summary>
    public string SinkFile => Path.Combine(_folder, "sink.jsonl");

    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> SinkLines() => File.Exists(SinkFile)
        ? File.ReadAllLines(SinkFile).Where(l => l.Length > 0).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList()
        : [];

    /// <summary>Sends everything due at <see cref="Time"/>'s now, round after round, until nothing is left; returns how many were handled.</summary>
    public async Task<int> DispatchAsync()
    {
        var dispatcher = Services.GetRequiredService<Casewire.Delivery.Dispatcher>();
        var total = 0;
        for (int handled; (handled = await dispatcher.DispatchDueAsync(CancellationToken.None)) > 0;) total += handled;
        return total;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", OnPostgres ? "Postgres" : "Sqlite");
        builder.UseSetting("ConnectionStrings:Casewire", ConnectionString);
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:RunDispatcher"] = "false",
            ["Sink:File"] = SinkFile,
            // Tests make many requests per token; RateLimitTests turn the limit on.
            ["RateLimit:PermitsPerMinute"] = "0",
            // The tests' webhook receivers listen on loopback; HostileTenantTests turn this off.
            ["Webhooks:AllowPrivateNetworks"] = "true",
            // Documents in this app's own folder, on either database (S3 tests replace the provider).
            ["Storage:Path"] = Path.Combine(_folder, "files"),
        };
        Configure(settings);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Clock);
            ConfigureServices(services);
        });
    }

    /// <summary>A scratch folder of this app, deleted with it (sink files and the like).</summary>
    public string Folder => _folder;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sharedConnectionString is not null)
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
        else if (OnPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Runs <paramref name="work"/> against the app's database in its own scope.</summary>
    internal async Task<T> WithDbAsync<T>(Func<CasewireDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CasewireDb>());
    }

    internal Task WithDbAsync(Func<CasewireDb, Task> work) => WithDbAsync(async db => { await work(db); return 0; });

    /// <summary>A new company and an API token for it; slugs are unique per call.</summary>
    public async Task<Tenant> NewTenantAsync(string? region = null) => await WithDbAsync(async db =>
    {
        var slug = "firm-" + Guid.NewGuid().ToString("N")[..8];
        var company = db.Companies.Add(new Company
        {
            Slug = slug, Name = "Firm " + slug, DefaultRegion = region ?? "US", CreatedAt = Time.GetUtcNow(),
        }).Entity;
        await db.SaveChangesAsync();
        var (token, secret) = await ApiTokens.CreateAsync(db, company.Id, "tests", Time.GetUtcNow(), CancellationToken.None);
        return new Tenant(company.Id, slug, token.Id, secret, ClientFor(secret));
    });

    public HttpClient ClientFor(string? token)
    {
        var client = CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public sealed record Tenant(int CompanyId, string Slug, int TokenId, string Token, HttpClient Http);
}
