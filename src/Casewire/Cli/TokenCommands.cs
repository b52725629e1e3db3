using System.CommandLine;
using Casewire.Partner.Auth;

namespace Casewire.Cli;

/// <summary><c>casewire token create|list|revoke</c>.</summary>
static class TokenCommands
{
    public static Command Create(CliContext context)
    {
        var company = new Option<string>("--company") { Description = "The company's slug.", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. \"Clio sync\".", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "The token's prefix as listed (cw_…), or enough of it to be unique.", Required = true };

        var create = new Command("create", "Create an API token. Prints the token alone on stdout; it is not shown again.") { company, name };
        create.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            var tokenName = parsed.GetValue(name)!;
            if (ApiTokens.NameProblem(tokenName) is { } problem) throw new CliError($"--name: {problem}");
            var (_, secret) = await ApiTokens.CreateAsync(db, owner.Id, tokenName, context.Time.GetUtcNow(), ct);
            context.Out.WriteLine(secret);
            return 0;
        }, ct));

        var list = new Command("list", "List the company's tokens by prefix (never their full value).") { company };
        list.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            var tokens = await ApiTokens.ListAsync(db, owner.Id, ct);
            context.Out.WriteLine($"{"PREFIX",-13} {"STATUS",-8} {"CREATED",-20} {"LAST USED",-20} NAME");
            foreach (var t in tokens)
                context.Out.WriteLine($"{t.Prefix,-13} {(t.RevokedAt is null ? "active" : "revoked"),-8} {t.CreatedAt:yyyy-MM-dd HH:mm}Z{"",3} " +
                                      $"{(t.LastUsedAt is { } used ? used.ToString("yyyy-MM-dd HH:mm") + "Z" : "never"),-20} {t.Name}");
            return 0;
        }, ct));

        var revoke = new Command("revoke", "Revoke a token: it stops working at once.") { company, prefix };
        revoke.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            var given = parsed.GetValue(prefix)!;
            switch (await ApiTokens.RevokeAsync(db, owner.Id, given, context.Time.GetUtcNow(), ct))
            {
                case ApiTokens.RevokeOutcome.Revoked:
                    context.Out.WriteLine($"revoked {given}");
                    return 0;
                case ApiTokens.RevokeOutcome.AlreadyRevoked:
                    context.Out.WriteLine($"{given} was already revoked");
                    return 0;
                case ApiTokens.RevokeOutcome.Ambiguous:
                    throw new CliError($"more than one token starts with '{given}'; give more of the prefix (see 'token list').");
                default:
                    throw new CliError($"no token of company '{owner.Slug}' starts with '{given}' (see 'token list').");
            }
        }, ct));

        return new Command("token", "Manage Partner API tokens.") { create, list, revoke };
    }
}
