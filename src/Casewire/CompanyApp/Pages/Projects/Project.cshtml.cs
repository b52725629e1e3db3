using Casewire.CompanyApp.Projects;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.MassMessages;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Texts;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp.Pages.Projects;

/// <summary>
/// <c>/projects/{id}</c> (SPEC §8): the phase timeline, the clients (opt-out state, notification
/// preference, language), the whole conversation with each recipient's delivery status, a send box, the calendar
/// events with their reminders, and every delivery attempt. Opening it marks the client replies read.
/// Admins and Users send and edit preferences; Followers read.
/// </summary>
sealed class ProjectModel(CasewireDb db, ExplicitMessages messages, PortalLinks links, TimeProvider time, Documents.IncomingFiles incoming) : StaffPageModel
{
    /// <summary>The largest document the upload accepts (Storage:MaxFileBytes).</summary>
    public long MaxFileBytes => incoming.MaxBytes;

    public ProjectView View { get; private set; } = null!;
    public DateTimeZone Zone => View.Zone;
    /// <summary>The app's clock, to tell a scheduled delivery from one that is due.</summary>
    public DateTimeOffset Now => time.GetUtcNow();
    public bool CanEdit => User.IsInRole(StaffRole.Admin) || User.IsInRole(StaffRole.User);

    /// <summary>The send box's text, kept when the form comes back with an error.</summary>
    [BindProperty] public string? Text { get; set; }

    /// <summary>The company's message templates, filled for this project (SPEC §12), for the send box's "insert".</summary>
    public IReadOnlyList<(string Name, string Text)> Templates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var view = await ProjectView.LoadAsync(db, CompanyId, id, ct);
        if (view is null) return NotFound();
        View = view;
        await LoadTemplatesAsync(ct);
        // Someone has now seen them: the dashboard and the list stop counting them as unread.
        if (view.Unread.Count > 0)
        {
            var now = time.GetUtcNow().TruncateToMilliseconds();
            await db.Messages
                .ForCompany(CompanyId).Where(m => m.ProjectId == id && m.Direction == MessageDirection.Inbound && m.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), ct);
        }
        return Page();
    }

    async Task LoadTemplatesAsync(CancellationToken ct)
    {
        var clients = View.Clients.Select(c => c.Contact).ToList();
        var phase = View.Phases.FirstOrDefault(p => p.Id == View.Project.PhaseId)?.Name;
        Templates = (await MessageTemplates.ListAsync(db, CompanyId, ct))
            .Select(t => (t.Name, ProjectTemplates.Fill(t, View.Company, View.Project, phase, clients, c => links.For(View.Company, View.Project.Id, c.Id))))
            .ToList();
    }

    /// <summary>Sends the text to every client as the signed-in user, exactly as <c>POST /partner/v2/send-message</c> would.</summary>
    public async Task<IActionResult> OnPostSendAsync(int id, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking()
            .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
            .AsSplitQuery()
            .ForCompany(CompanyId).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return NotFound();
        if (!CanEdit) return await RefusedAsync(id, "Your role (Follower) can read this project but not send messages.", ct);
        if (ExplicitMessages.TextError("The message", Text) is { } error) return await InvalidAsync(id, nameof(Text), error, ct);

        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == CompanyId, ct);
        var outcome = await messages.ToProjectAsync(new ExplicitMessages.Sender(company.Id, company.Name, company.SenderNumber),
            project, Text!, await AuthorAsync(ct), time.GetUtcNow().TruncateToMilliseconds(), ct);
        if (outcome.Message is not { } message) return await InvalidAsync(id, nameof(Text), outcome.Refusal!, ct);
        await db.SaveChangesAsync(ct);

        var recipients = message.Deliveries.Count(d => d.Status == DeliveryStatus.Pending);
        Flash = $"Message sent to {ProjectLabels.Plural(recipients, "recipient", "recipients")}; its delivery status is below.";
        return Redirect($"/projects/{id}#message-{message.Id}");
    }

    /// <summary>Sets how a client of this project is notified automatically (the contact's own setting, for all their cases).</summary>
    public async Task<IActionResult> OnPostPreferenceAsync(int id, int contactId, string? preference, CancellationToken ct)
    {
        var contact = await ClientAsync(id, contactId, ct);
        if (contact is null) return NotFound();
        if (!CanEdit) return await RefusedAsync(id, "Your role (Follower) can read this project but not change clients.", ct);
        if (!TryReadPreference(preference, out var chosen))
            return await InvalidAsync(id, $"Preference-{contactId}", "Choose Default, SMS, Email or SMS and email.", ct);

        contact.NotificationPreference = chosen;
        contact.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        Flash = $"{contact.FirstName} {contact.LastName} is now notified by {ProjectLabels.Preference(contact.EffectiveNotificationPreference).ToLowerInvariant()}"
                + (chosen is null ? " (the default)." : ".");
        return Redirect($"/projects/{id}#clients");
    }

    /// <summary>
    /// Sets the language a client of this project reads (SPEC §13; the contact's own, for all their cases): "default" (the
    /// company's) or a language Casewire has texts for. Admins only, as the firm's texts are theirs to set.
    /// </summary>
    public async Task<IActionResult> OnPostLanguageAsync(int id, int contactId, string? language, CancellationToken ct)
    {
        var contact = await ClientAsync(id, contactId, ct);
        if (contact is null) return NotFound();
        if (!IsAdmin) return await RefusedAsync(id, "Only an Admin of your firm can change a client's language.", ct);
        if (!TryReadLanguage(language, out var chosen))
            return await InvalidAsync(id, $"Language-{contactId}",
                $"'{language}' is not a language Casewire has texts for; choose the company's default or one of {Languages.Accepted}.", ct);

        contact.Language = chosen;
        contact.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == CompanyId).Select(c => c.Language).SingleAsync(ct);
        Flash = $"{contact.FirstName} {contact.LastName} now reads texts in {Languages.DisplayName(Languages.For(chosen, company))}"
                + (chosen is null ? " (the company's default)." : ".");
        return Redirect($"/projects/{id}#clients");
    }

    public bool IsAdmin => User.IsInRole(StaffRole.Admin);

    /// <summary>A client of this project of the user's company; null for anything else (another firm's contact or project).</summary>
    Task<Contact?> ClientAsync(int id, int contactId, CancellationToken ct) =>
        db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.CompanyId == CompanyId
            && db.ProjectClients.Any(pc => pc.ContactId == c.Id && pc.ProjectId == id
                                           && db.Projects.Any(p => p.Id == id && p.CompanyId == CompanyId)), ct);

    /// <summary>"default" (the company's language) or a tag of a language Casewire has texts for.</summary>
    static bool TryReadLanguage(string? value, out string? chosen)
    {
        chosen = null;
        if (value == "default") return true;
        if (!Languages.TryRead(value, out var tag)) return false;
        chosen = tag;
        return true;
    }

    /// <summary>"default" (no explicit choice) or one of the preferences by name.</summary>
    static bool TryReadPreference(string? value, out NotificationPreference? chosen)
    {
        chosen = null;
        if (value == "default") return true;
        if (!Enum.TryParse<NotificationPreference>(value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return false;
        chosen = parsed;
        return true;
    }

    /// <summary>The linked team member when there is one (the CMS knows them), else the user by display name or email.</summary>
    async Task<ExplicitMessages.Author> AuthorAsync(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().ForCompany(CompanyId).SingleAsync(u => u.Id == UserId, ct);
        var member = user.TeamMemberId is { } memberId
            ? await db.TeamMembers.AsNoTracking().ForCompany(CompanyId).FirstOrDefaultAsync(m => m.Id == memberId, ct)
            : null;
        return member is not null
            ? ExplicitMessages.Author.Of(member, user.Id)
            : new ExplicitMessages.Author(string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? "Staff" : user.DisplayName.Trim(),
                StaffUserId: user.Id);
    }

    /// <summary>The page again with the error next to its field; nothing was written.</summary>
    async Task<IActionResult> InvalidAsync(int id, string field, string error, CancellationToken ct)
    {
        ModelState.AddModelError(field, error);
        View = (await ProjectView.LoadAsync(db, CompanyId, id, ct))!;
        await LoadTemplatesAsync(ct);
        return Page();
    }

    /// <summary>A 403 that still shows the project, with the reason at the top.</summary>
    async Task<IActionResult> RefusedAsync(int id, string reason, CancellationToken ct)
    {
        ModelState.AddModelError(string.Empty, reason);
        View = (await ProjectView.LoadAsync(db, CompanyId, id, ct))!;
        var page = Page();
        page.StatusCode = StatusCodes.Status403Forbidden;
        return page;
    }
}
