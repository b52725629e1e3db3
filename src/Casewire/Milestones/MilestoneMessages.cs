using Casewire.Data;
using Casewire.Delivery;
using Casewire.Feedback;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Texts;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Milestones;

/// <summary>
/// The automatic notifications of SPEC §6, planned as outbox items when the CMS saves a project:
/// a welcome to each client of a new case, the phase's message when the case enters a different
/// mapped phase (only the latest of several quick changes is sent), and the phase's drips. All go
/// out in the company's delivery window. Runs inside the caller's transaction; the caller saves.
/// </summary>
sealed class MilestoneMessages(CasewireDb db, Outbox outbox, ShortLinks links, ClientTexts texts, Surveys surveys, TimeProvider time)
{
    /// <summary>The project as it was before the request changed it; null when the request creates it.</summary>
    public sealed record Before(int? PhaseId, bool MilestonesEnabled, ProjectStatus Status, IReadOnlyList<int> ClientIds)
    {
        public static Before? Of(Project? project) => project is null
            ? null
            : new(project.PhaseId, project.MilestonesEnabled, project.Status, project.Clients.Select(c => c.ContactId).ToList());
    }

    sealed record Case(Company Company, Project Project, ProjectType Type, Phase? Phase, IReadOnlySet<string> OptedOut, DateTimeOffset Now);

    public async Task OnProjectSavedAsync(Project project, Before? before, IReadOnlyList<Contact> clients, CancellationToken ct)
    {
        var keys = new MilestoneKeys(project.Id);
        var enteredPhase = before is not null && project.PhaseId != before.PhaseId;
        var completedNow = before is not null && project.Status == ProjectStatus.Completed && before.Status != ProjectStatus.Completed;
        if (before is not null)
        {
            foreach (var gone in before.ClientIds.Except(clients.Select(c => c.Id)))
                await CancelForClientAsync(project.CompanyId, keys, gone, ct);
            var completed = project.Status == ProjectStatus.Completed && before.Status != ProjectStatus.Completed;
            if (before.MilestonesEnabled && !project.MilestonesEnabled)
                await outbox.CancelStartingWithAsync(project.CompanyId, keys.All, ct);
            else if (enteredPhase || completed) // SPEC §6: leaving the phase (or closing the case) ends its drips
                await outbox.CancelStartingWithAsync(project.CompanyId, keys.Drips, ct);
        }
        if (!project.MilestonesEnabled) return;

        var open = project.Status != ProjectStatus.Completed;
        // A case created already closed (a CMS's first sync of old matters) welcomes nobody.
        List<Contact> welcomed = !open ? [] : before is null ? [.. clients] : [.. clients.Where(c => !before.ClientIds.Contains(c.Id))];
        var startsDrips = open && (before is null || enteredPhase);
        if (welcomed.Count == 0 && !enteredPhase && !startsDrips && !completedNow) return; // most PUTs: nothing new to tell anyone

        var @case = await LoadAsync(project, clients, ct);
        // SPEC §13: the satisfaction survey of the phase entered, or of completion.
        if (enteredPhase || completedNow)
            await surveys.OnProjectSavedAsync(@case.Company, project, @case.Type, enteredPhase ? @case.Phase : null, completedNow,
                clients.Except(welcomed).ToList(), @case.OptedOut, @case.Now, ct);
        foreach (var client in welcomed)
            await ComposeAsync(@case, client, MessageKind.Welcome, new Wording(TextKeys.Welcome(@case.Type.Id), @case.Type.WelcomeTemplate, TextKind.Welcome),
                BusinessHours.DeliverAt(@case.Company, @case.Now), keys.Welcome(client.Id), supersede: false, ct);

        if (@case.Phase is null) return;
        if (enteredPhase)
            await AnnouncePhaseAsync(@case, clients.Except(welcomed).ToList(), keys, ct);
        if (startsDrips)
            await PlanDripsAsync(@case, clients, keys, ct);
    }

    /// <summary>Tells each client the new phase, unless it is the one they already know.</summary>
    async Task AnnouncePhaseAsync(Case @case, IReadOnlyList<Contact> clients, MilestoneKeys keys, CancellationToken ct)
    {
        var phase = @case.Phase!;
        var known = await KnownPhasesAsync(@case.Project, ct);
        var dueAt = BusinessHours.DeliverAt(@case.Company, @case.Now);
        foreach (var client in clients)
        {
            if (known.TryGetValue(client.Id, out var knownPhase) && knownPhase == phase.Id)
                await outbox.CancelAsync(@case.Project.CompanyId, keys.Phase(client.Id), ct);
            else
                await ComposeAsync(@case, client, MessageKind.PhaseChange, new Wording(TextKeys.Phase(phase.Id), phase.MessageTemplate, TextKind.PhaseChange),
                    dueAt, keys.Phase(client.Id), supersede: true, ct);
        }
    }

    /// <summary>The phase each client was told of, or will be by a queued welcome.</summary>
    // Their latest welcome or phase message that was not replaced counts; pending phase messages are about to
    // be.
    async Task<Dictionary<int, int?>> KnownPhasesAsync(Project project, CancellationToken ct)
    {
        var told = await db.OutboxItems.AsNoTracking()
            .ForCompany(project.CompanyId).Where(o => o.Message!.ProjectId == project.Id && o.ContactId != null
                        && (o.Message.Kind == MessageKind.Welcome || o.Message.Kind == MessageKind.PhaseChange)
                        && o.Status != DeliveryStatus.Superseded && o.Status != DeliveryStatus.Canceled
                        && !(o.Status == DeliveryStatus.Pending && o.Message.Kind == MessageKind.PhaseChange))
            .Select(o => new { ContactId = o.ContactId!.Value, o.Id, o.Message!.PhaseId })
            .ToListAsync(ct);
        return told.GroupBy(t => t.ContactId).ToDictionary(g => g.Key, g => g.MaxBy(t => t.Id)!.PhaseId);
    }

    /// <summary>Every drip of the phase, every time it repeats, for each client, counted from now (the phase's start).</summary>
    async Task PlanDripsAsync(Case @case, IReadOnlyList<Contact> clients, MilestoneKeys keys, CancellationToken ct)
    {
        foreach (var drip in @case.Phase!.Drips.OrderBy(d => d.AfterDays).ThenBy(d => d.Id))
            for (var n = 0; n < drip.Times; n++)
            {
                var days = drip.AfterDays + n * (drip.RepeatEveryDays ?? 0);
                var dueAt = BusinessHours.DeliverAt(@case.Company, BusinessHours.DaysAfter(@case.Company, @case.Now, days));
                foreach (var client in clients)
                    await ComposeAsync(@case, client, MessageKind.Drip, new Wording(TextKeys.Drip(drip.Id), drip.Template, null), dueAt, keys.Drip(client.Id, drip.Id, n), supersede: false, ct);
            }
    }

    async Task CancelForClientAsync(int companyId, MilestoneKeys keys, int contactId, CancellationToken ct)
    {
        await outbox.CancelAsync(companyId, keys.Welcome(contactId), ct);
        await outbox.CancelAsync(companyId, keys.Phase(contactId), ct);
        await outbox.CancelStartingWithAsync(companyId, keys.DripsOf(contactId), ct);
    }

    /// <summary>One message per client (the text names them and carries their own link), one delivery per channel.</summary>
    async Task ComposeAsync(Case @case, Contact client, MessageKind kind, Wording wording, DateTimeOffset dueAt, string key,
        bool supersede, CancellationToken ct)
    {
        var (company, project) = (@case.Company, @case.Project);
        // SPEC §13: in the client's language, the firm's own words for it first.
        var template = await texts.TemplateAsync(company.Id, wording.Key, Languages.For(client, company), wording.Stored, wording.BuiltIn, ct);
        var parsed = Template.FromStored(template);
        var link = parsed.PortalLink(() => links.Issue(company, project.Id, client.Id));
        var text = parsed.Render(new TemplateValues(client.FirstName, client.LastName, project.Name, @case.Phase?.Name ?? "", company.Name, link));
        var subject = $"{company.Name}: {project.Name}";
        var message = new Message
        {
            CompanyId = company.Id, ProjectId = project.Id, PhaseId = @case.Phase?.Id, Direction = MessageDirection.Outbound, Kind = kind,
            AuthorName = "Casewire", Text = text, Subject = subject.Length <= Limits.Name ? subject : subject[..Limits.Name], CreatedAt = @case.Now,
        };
        foreach (var (channel, to) in ClientChannels.Of(client, @case.OptedOut))
        {
            var item = new OutboxItem
            {
                CompanyId = company.Id, Message = message, Channel = channel, To = to, Body = text, ContactId = client.Id, DueAt = dueAt,
                CoalescingKey = key, Subject = channel == Channel.Email ? message.Subject : null,
                From = channel == Channel.Sms ? company.SenderNumber : null,
            };
            message.Deliveries.Add(item);
            if (supersede) await outbox.SupersedeAsync(item, ct);
            else outbox.Enqueue(item);
        }
        db.Messages.Add(message);
    }

    /// <summary>The project's phase with its drips: usually tracked with them already (a PUT placed the project by its type), else read.</summary>
    async Task<Phase> PhaseWithDripsAsync(Project project, int phaseId, CancellationToken ct)
    {
        if (project.Phase is { } tracked && tracked.Id == phaseId && db.Entry(tracked).Collection(p => p.Drips).IsLoaded) return tracked;
        return await db.Phases.Include(p => p.Drips).SingleAsync(p => p.Id == phaseId, ct);
    }

    async Task<Case> LoadAsync(Project project, IReadOnlyList<Contact> clients, CancellationToken ct)
    {
        var company = await db.Companies.SingleAsync(c => c.Id == project.CompanyId, ct);
        // Usually tracked already (the PUT placed the project in it): Find answers without a query then.
        var type = await db.ProjectTypes.FindAsync([project.ProjectTypeId], ct)
                   ?? throw new InvalidOperationException($"Project {project.Id} has no project type {project.ProjectTypeId}.");
        var phase = project.PhaseId is { } phaseId ? await PhaseWithDripsAsync(project, phaseId, ct) : null;
        var optedOut = await OptOuts.AmongAsync(db, project.CompanyId, clients, ct);
        // Milliseconds: what both databases keep, so the PUT and a later GET show the same instants.
        return new Case(company, project, type, phase, optedOut, time.GetUtcNow().TruncateToMilliseconds());
    }
}

/// <summary>Which text a notification is: its key among the firm's per-language texts, the text stored on the type, phase or drip, and Casewire's default.</summary>
readonly record struct Wording(string Key, string? Stored, TextKind? BuiltIn);

/// <summary>
/// Coalescing keys of a project's automatic notifications, one per client: a newer phase message
/// supersedes the pending one with the same key; prefixes cancel a client's, the drips', or all.
/// </summary>
readonly record struct MilestoneKeys(int ProjectId)
{
    public string All => $"project:{ProjectId}:";
    public string Welcome(int contactId) => $"project:{ProjectId}:welcome:{contactId}";
    public string Phase(int contactId) => $"project:{ProjectId}:phase:{contactId}";
    public string Drips => $"project:{ProjectId}:drip:";
    public string DripsOf(int contactId) => $"{Drips}{contactId}:";
    public string Drip(int contactId, int dripId, int n) => $"{DripsOf(contactId)}{dripId}:{n}";
}
