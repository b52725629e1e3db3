using System.CommandLine;
using Casewire.Data;
using Casewire.Milestones;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire template show|set|add-drip|remove-drip</c>: a firm's notification texts (SPEC §6) from
/// the command line, through the same <see cref="MilestoneTemplates"/> as the Company App's Project
/// Types page. Texts are checked as they are saved; the answer shows a sample and its SMS segment count.
/// </summary>
static class TemplateCommands
{
    public static Command Create(CliContext context)
    {
        var company = new Option<string>("--company") { Description = "The company's slug.", Required = true };
        var type = new Option<string>("--type") { Description = "The project type (case tracker), by name.", Required = true };
        var phase = new Option<string?>("--phase") { Description = "The phase, by its name; without it, the type's welcome." };
        var requiredPhase = new Option<string>("--phase") { Description = "The phase, by its name.", Required = true };
        var text = new Option<string>("--text") { Description = "The text, with placeholders such as {client.firstName}; \"\" restores the default.", Required = true };
        var afterDays = new Option<int>("--after-days") { Description = "Days in the phase before it is sent.", Required = true };
        var repeatEvery = new Option<int?>("--repeat-every-days") { Description = "Send again every this many days." };
        var maxTimes = new Option<int>("--max-times") { Description = "How many times in all (with --repeat-every-days).", DefaultValueFactory = _ => 1 };
        var id = new Option<int>("--id") { Description = "The drip's id, as 'template show' lists it.", Required = true };

        var show = new Command("show", "List each project type's welcome, phase messages and drips.") { company };
        show.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            var types = await db.ProjectTypes.AsNoTracking().ForCompany(owner.Id)
                .Include(t => t.Phases).ThenInclude(p => p.Drips).AsSplitQuery().OrderBy(t => t.Name).ToListAsync(ct);
            foreach (var t in types)
            {
                context.Out.WriteLine($"{t.Name} ({(t.IsLocked ? "locked" : "learning")})");
                context.Out.WriteLine($"  welcome: {Describe(t.WelcomeTemplate)}");
                foreach (var p in t.Phases.OrderBy(p => p.Step))
                {
                    context.Out.WriteLine($"  {p.Step} {p.Name}: {Describe(p.MessageTemplate)}");
                    foreach (var d in p.Drips.OrderBy(d => d.AfterDays))
                        context.Out.WriteLine($"      drip {d.Id}, after {d.AfterDays} days" +
                                              (d.RepeatEveryDays is { } every ? $", every {every} days, {d.MaxTimes} times" : "") + $": {d.Template}");
                }
            }
            return 0;
        }, ct));

        var set = new Command("set", "Set the welcome of a type, or the message of one of its phases.") { company, type, phase, text };
        set.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var (owner, projectType) = await FindTypeAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(type)!, ct);
            var given = parsed.GetValue(text)!.Trim() is { Length: > 0 } t ? t : null;
            var templates = services.GetRequiredService<MilestoneTemplates>();
            var outcome = parsed.GetValue(phase) is { } phaseName
                ? await templates.SetPhaseMessageAsync(owner.Id, FindPhase(projectType, phaseName).Id, given, ct)
                : await templates.SetWelcomeAsync(owner.Id, projectType.Id, given, ct);
            return Report(context, outcome, "saved");
        }, ct));

        var addDrip = new Command("add-drip", "Add a follow-up to a phase, sent after some days in it.")
            { company, type, requiredPhase, afterDays, repeatEvery, maxTimes, text };
        addDrip.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var (owner, projectType) = await FindTypeAsync(context, db, parsed.GetValue(company)!, parsed.GetValue(type)!, ct);
            var outcome = await services.GetRequiredService<MilestoneTemplates>().AddDripAsync(owner.Id,
                FindPhase(projectType, parsed.GetValue(requiredPhase)!).Id,
                new MilestoneTemplates.DripRequest(parsed.GetValue(afterDays), parsed.GetValue(text)!, parsed.GetValue(repeatEvery), parsed.GetValue(maxTimes)), ct);
            return Report(context, outcome, $"drip {outcome.Id} added");
        }, ct));

        var removeDrip = new Command("remove-drip", "Remove a drip; what it already queued still goes.") { company, id };
        removeDrip.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            if (!await services.GetRequiredService<MilestoneTemplates>().RemoveDripAsync(owner.Id, parsed.GetValue(id), ct))
                throw new CliError($"company '{owner.Slug}' has no drip {parsed.GetValue(id)} (see 'template show').");
            context.Out.WriteLine($"drip {parsed.GetValue(id)} removed");
            return 0;
        }, ct));

        return new Command("template", "Manage the texts of welcome, phase-change and drip notifications.") { show, set, addDrip, removeDrip };
    }

    static string Describe(string? template) => template ?? "(default)";

    static int Report(CliContext context, MilestoneTemplates.Outcome outcome, string done)
    {
        if (!outcome.Saved) throw new CliError(string.Join(" ", outcome.Errors));
        context.Out.WriteLine($"{done}; a client reads ({outcome.Preview!.Segments} SMS segment{(outcome.Preview.Segments == 1 ? "" : "s")}):");
        context.Out.WriteLine(outcome.Preview.Text);
        return 0;
    }

    static async Task<(Company, ProjectType)> FindTypeAsync(CliContext context, CasewireDb db, string slug, string typeName, CancellationToken ct)
    {
        var owner = await context.FindCompanyAsync(db, slug, ct);
        var key = PartnerNames.Normalize(typeName);
        var type = await db.ProjectTypes.Include(t => t.Phases).ThenInclude(p => p.Triggers).AsSplitQuery()
                       .ForCompany(owner.Id).FirstOrDefaultAsync(t => t.NormalizedName == key, ct)
                   ?? throw new CliError($"company '{owner.Slug}' has no project type '{typeName}' (see 'template show').");
        return (owner, type);
    }

    /// <summary>A phase by its client-facing name or one of its CMS names.</summary>
    static Phase FindPhase(ProjectType type, string name)
    {
        var key = PartnerNames.Normalize(name);
        return type.Phases.FirstOrDefault(p => PartnerNames.Normalize(p.Name) == key)
               ?? type.Phases.FirstOrDefault(p => p.Triggers.Any(t => t.NormalizedName == key))
               ?? throw new CliError($"'{type.Name}' has no phase '{name}'; its phases: {string.Join(", ", type.Phases.OrderBy(p => p.Step).Select(p => p.Name))}.");
    }
}
