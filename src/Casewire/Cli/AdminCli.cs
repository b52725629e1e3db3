using System.CommandLine;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Cli;

/// <summary>
/// The admin command line (SPEC §9): the same executable as the server, so a bare server needs no
/// UI step. Results go to stdout (a token alone on its line, for scripts); errors go to stderr with
/// exit code 1. Every command applies pending migrations first, so it works on a fresh database.
/// </summary>
static class AdminCli
{
    static readonly string[] Commands = ["migrate", "company", "token", "user", "template", "webhook", "backup", "restore", "check"];

    /// <summary>
    /// False only for what starts the server: no arguments, <c>serve</c>, or options (<c>--urls …</c>). Any other first
    /// word is a command, known or not: an unknown one is an error, never a second server on a busy port.
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (args[0].StartsWith('-') ? args[0] is "--help" or "-h" or "-?" : args[0] != "serve");

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr,
        CancellationToken ct = default)
    {
        if (!args[0].StartsWith('-') && !Commands.Contains(args[0]))
        {
            await stderr.WriteLineAsync($"error: '{args[0]}' is not a command. Commands: {string.Join(", ", Commands)}.");
            await stderr.WriteLineAsync("Run 'casewire --help' for usage, or casewire with no command (or 'serve') to start the server.");
            return 1;
        }
        var context = new CliContext(services, stdout, stderr);
        var root = new RootCommand("Casewire admin commands. Run with no command (or 'serve') to start the server.")
        {
            MigrateCommand(context),
            CompanyCommands.Create(context),
            TokenCommands.Create(context),
            UserCommands.Create(context),
            TemplateCommands.Create(context),
            WebhookCommands.Create(context),
            BackupCommands.Create(context),
            BackupCommands.CreateRestore(context),
            CheckCommand.Create(context),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
        {
            // Errors only, on stderr: a script capturing stdout ($(casewire token create …)) must never get help text.
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync($"Run 'casewire {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))} --help' for usage.");
            return 1;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct);
    }

    static Command MigrateCommand(CliContext context)
    {
        var command = new Command("migrate", "Apply pending database migrations.");
        command.SetAction(async (_, ct) => await context.RunAsync(async (_, _) =>
        {
            context.Out.WriteLine("Database is up to date.");
            return await Task.FromResult(0);
        }, ct));
        return command;
    }
}

/// <summary>What every command needs: a database scope, the clock, and the two output streams.</summary>
sealed class CliContext(IServiceProvider services, TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;
    public TimeProvider Time { get; } = services.GetRequiredService<TimeProvider>();

    /// <summary>
    /// Migrates (unless told not to: a restore replaces the database it would migrate), then runs <paramref name="body"/>
    /// in a fresh scope; a <see cref="CliError"/> becomes exit code 1.
    /// </summary>
    public async Task<int> RunAsync(Func<IServiceProvider, CasewireDb, Task<int>> body, CancellationToken ct, bool migrate = true)
    {
        try
        {
            var scopes = services.GetRequiredService<IServiceScopeFactory>();
            if (migrate) await DatabaseMigrator.MigrateAsync(scopes, ct);
            await using var scope = scopes.CreateAsyncScope();
            return await body(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<CasewireDb>());
        }
        catch (CliError e)
        {
            await Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    public async Task<Company> FindCompanyAsync(CasewireDb db, string slug, CancellationToken ct) =>
        await db.Companies.FirstOrDefaultAsync(c => c.Slug == slug.Trim().ToLowerInvariant(), ct)
        ?? throw new CliError($"no company with slug '{slug}'. List them with the Company App, or create one with 'casewire company create'.");
}

/// <summary>A user mistake the command explains on stderr (exit code 1); not a crash.</summary>
sealed class CliError(string message) : Exception(message);
