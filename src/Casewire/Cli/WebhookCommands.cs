using System.CommandLine;
using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire webhook create|list|delete|enable|secret|log</c>: a company's signed outbound webhooks
/// (README "Webhooks"). The secret is printed at creation; <c>secret</c> prints it again (it is kept
/// in the database to sign with, so hiding it from the admin protects nothing).
/// </summary>
static class WebhookCommands
{
    public static Command Create(CliContext context)
    {
        var company = new Option<string>("--company") { Description = "The company's slug.", Required = true };
        var url = new Option<string>("--url") { Description = "Where events are POSTed: an absolute http(s) URL.", Required = true };
        var events = new Option<string?>("--events")
        {
            Description = $"Comma-separated event types (default: all, also those added later): {string.Join(", ", WebhookEventTypes.All)}.",
        };
        var description = new Option<string?>("--description") { Description = "What the endpoint is for, e.g. \"Clio sync\"." };
        var id = new Option<int>("--id") { Description = "The endpoint's id, as 'webhook list' shows it.", Required = true };
        var limit = new Option<int>("--limit") { Description = "How many of the latest calls (1–200).", DefaultValueFactory = _ => 20 };

        var create = new Command("create", "Register a webhook endpoint. Prints its id and its signing secret (whsec_…).") { company, url, events, description };
        create.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            if (await services.GetRequiredService<WebhookAddresses>().CheckUrlAsync(parsed.GetValue(url), ct) is { } wrongUrl)
                throw new CliError($"--url: {wrongUrl}");
            var filter = WebhookEventTypes.Parse(parsed.GetValue(events), out var unknown);
            if (unknown.Count > 0)
                throw new CliError($"--events: {string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not an event type" : "are not event types")}; " +
                                   $"use {string.Join(", ", WebhookEventTypes.All)} (comma-separated), or leave --events out for all of them.");
            var text = parsed.GetValue(description)?.Trim();
            if (text is { Length: > Limits.Name }) throw new CliError($"--description is {text.Length} characters long; at most {Limits.Name} are accepted.");
            var endpoint = await WebhookEndpoints.CreateAsync(db, owner.Id, parsed.GetValue(url)!, filter, text, context.Time.GetUtcNow(), ct);
            context.Out.WriteLine($"id: {endpoint.Id}");
            context.Out.WriteLine($"secret: {endpoint.Secret}");
            return 0;
        }, ct));

        var list = new Command("list", "List the company's webhook endpoints: whether each is enabled, and why not.") { company };
        list.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            context.Out.WriteLine($"{"ID",-6} {"STATUS",-9} {"CREATED",-18} {"EVENTS",-40} URL");
            foreach (var e in await WebhookEndpoints.ListAsync(db, owner.Id, ct))
            {
                var status = !e.IsEnabled ? "disabled" : e.ConsecutiveFailures > 0 ? "failing" : "enabled";
                context.Out.WriteLine($"{e.Id,-6} {status,-9} {e.CreatedAt:yyyy-MM-dd HH:mm}Z {WebhookEventTypes.Describe(e.Events),-40} {e.Url}" +
                                      (e.Description is null ? "" : $"  ({e.Description})"));
                if (e.DisabledAt is { } disabledAt)
                    context.Out.WriteLine($"{"",7}disabled {disabledAt:yyyy-MM-dd HH:mm}Z: {e.DisabledReason} (re-enable: webhook enable --id {e.Id})");
                else if (e.FailingSince is { } since)
                    context.Out.WriteLine($"{"",7}failing since {since:yyyy-MM-dd HH:mm}Z, {e.ConsecutiveFailures} attempts in a row; last: {e.LastError}");
            }
            return 0;
        }, ct));

        var delete = new Command("delete", "Delete a webhook endpoint; its pending calls are canceled.") { company, id };
        delete.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var (_, endpoint) = await FindAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(id), ct);
            var canceled = await WebhookEndpoints.DeleteAsync(db, endpoint, ct);
            context.Out.WriteLine($"deleted endpoint {endpoint.Id}" + (canceled > 0 ? $" ({canceled} pending calls canceled)" : ""));
            return 0;
        }, ct));

        var enable = new Command("enable", "Turn a disabled endpoint back on. Events raised while it was off are not sent.") { company, id };
        enable.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var (_, endpoint) = await FindAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(id), ct);
            context.Out.WriteLine(await WebhookEndpoints.EnableAsync(db, endpoint, ct)
                ? $"enabled endpoint {endpoint.Id}"
                : $"endpoint {endpoint.Id} was already enabled");
            return 0;
        }, ct));

        var secret = new Command("secret", "Print an endpoint's signing secret alone on stdout.") { company, id };
        secret.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var (_, endpoint) = await FindAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(id), ct);
            context.Out.WriteLine(endpoint.Secret);
            return 0;
        }, ct));

        var log = new Command("log", "An endpoint's latest calls, newest first, with every attempt.") { company, id, limit };
        log.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var (_, endpoint) = await FindAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(id), ct);
            if (parsed.GetValue(limit) is < 1 or > 200) throw new CliError("--limit must be between 1 and 200.");
            foreach (var call in await WebhookEndpoints.LogAsync(db, endpoint, parsed.GetValue(limit), ct))
            {
                context.Out.WriteLine($"{call.Item.CreatedAt:yyyy-MM-dd HH:mm:ss}Z {call.Type ?? "?",-24} {call.Item.WebhookId} " +
                                      $"{call.Item.Status.PublicName()}" +
                                      (call.Item.ErrorMessage is { } error && call.Item.Status != DeliveryStatus.Sent ? $": {error}" : ""));
                foreach (var a in call.Attempts)
                    context.Out.WriteLine($"    #{a.Number} {a.StartedAt:yyyy-MM-dd HH:mm:ss}Z {(a.Outcome?.ToString() ?? "in flight").ToLowerInvariant()}" +
                                          (a.ErrorMessage is null ? "" : $": {a.ErrorMessage}"));
            }
            return 0;
        }, ct));

        return new Command("webhook", "Manage signed outbound webhooks (Standard Webhooks).") { create, list, delete, enable, secret, log };
    }

    static async Task<(Company Company, WebhookEndpoint Endpoint)> FindAsync(CliContext context, CasewireDb db, string slug, int id, CancellationToken ct)
    {
        var owner = await context.FindCompanyAsync(db, slug, ct);
        var endpoint = await WebhookEndpoints.FindAsync(db, owner.Id, id, ct)
                       ?? throw new CliError($"company '{owner.Slug}' has no webhook endpoint {id} (see 'webhook list').");
        return (owner, endpoint);
    }
}
