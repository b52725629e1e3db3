using Casewire.Companies;
using Casewire.Data;
using Casewire.Delivery.Sms;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime.TimeZones;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Company settings (SPEC §6, §8): every staff member reads them, an admin changes them. The rules
/// are <see cref="CompanySettings"/>, shared with <c>casewire company update</c>. Also the admin's "revoke every client
/// portal link" (raises <see cref="Company.PortalLinkVersion"/>).
/// </summary>
sealed class IndexModel(CasewireDb db, IOptions<TwilioOptions> twilio) : StaffPageModel
{
    [BindProperty] public SettingsForm Form { get; set; } = new();
    [BindProperty] public bool ConfirmRevokeLinks { get; set; }

    public bool CanEdit => User.IsInRole(StaffRole.Admin);
    public string Slug { get; private set; } = "";

    /// <summary>IANA zones offered while typing (the field accepts any id NodaTime knows).</summary>
    public static readonly IReadOnlyList<string> ZoneSuggestions = TzdbDateTimeZoneSource.Default.CanonicalIdMap.Values
        .Where(id => id.Contains('/') && !id.StartsWith("Etc/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();

    public async Task OnGetAsync(CancellationToken ct) => Show(await CompanyAsync(ct), fillForm: true);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        var company = await CompanyAsync(ct);
        var errors = CompanySettings.Apply(company, Form.ToChange(), SettingsForm.Label).ToList();
        if (errors.Count == 0 && await SenderNumbers.CheckAsync(db, company, twilio.Value.From, SettingsForm.Label, ct) is { } refused)
            errors.Add(refused);
        if (errors.Count == 0)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                Flash = "Settings saved.";
                return Redirect("/settings");
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && company.SenderNumber is { } number)
            {
                // Another firm saved the same number at the same moment: the index kept the first.
                errors.Add(SenderNumbers.Taken(number, SettingsForm.Label));
            }
        }
        foreach (var error in errors) ModelState.AddModelError($"{nameof(Form)}.{error.Setting}", SettingsForm.Sentence(error.Message));
        Show(company, fillForm: false);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeLinksAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!ConfirmRevokeLinks)
        {
            ModelState.Clear();
            ModelState.AddModelError(nameof(ConfirmRevokeLinks), "Tick the box to confirm: every link already sent will stop working.");
            Show(await CompanyAsync(ct), fillForm: true);
            return Page();
        }
        // One UPDATE: two admins revoking at once raise the version twice, never lose one.
        await db.Companies.Where(c => c.Id == CompanyId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PortalLinkVersion, c => c.PortalLinkVersion + 1), ct);
        Flash = "Every client portal link sent so far is revoked. Links in messages sent from now on work.";
        return Redirect("/settings");
    }

    Task<Company> CompanyAsync(CancellationToken ct) => db.Companies.SingleAsync(c => c.Id == CompanyId, ct);

    void Show(Company company, bool fillForm)
    {
        Slug = company.Slug;
        if (fillForm) Form = SettingsForm.From(company);
    }
}

/// <summary>The Settings form as posted: text as typed, checked by <see cref="CompanySettings"/>.</summary>
sealed class SettingsForm
{
    public string? Name { get; set; }
    public string? TimeZone { get; set; }
    public string? Region { get; set; }
    public string? DeliveryWindow { get; set; }
    public string? WindowStart { get; set; }
    public string? WindowEnd { get; set; }
    public string? HelpText { get; set; }
    public string? PortalUrl { get; set; }
    public string? SenderNumber { get; set; }
    public string? Language { get; set; }
    public bool SurveyOnCompletion { get; set; }
    public string? ReviewUrl { get; set; }

    public static SettingsForm From(Company c) => new()
    {
        Name = c.Name, TimeZone = c.TimeZone, Region = c.DefaultRegion, DeliveryWindow = CompanySettings.NameOf(c.DeliveryWindow),
        WindowStart = c.WindowStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        WindowEnd = c.WindowEnd.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        HelpText = c.HelpText, PortalUrl = c.PortalBaseUrl, SenderNumber = c.SenderNumber,
        Language = c.Language, SurveyOnCompletion = c.SurveyOnCompletion, ReviewUrl = c.ReviewUrl,
    };

    /// <summary>Every field is given (a browser posts them all); an empty one clears an optional setting.</summary>
    public CompanySettingsChange ToChange() => new()
    {
        Name = Name ?? "", TimeZone = TimeZone ?? "", Region = Region ?? "", DeliveryWindow = DeliveryWindow ?? "",
        WindowStart = WindowStart ?? "", WindowEnd = WindowEnd ?? "", HelpText = HelpText ?? "", PortalUrl = PortalUrl ?? "",
        SenderNumber = SenderNumber ?? "",
        // A form from before these fields keeps the stored language; the checkbox is false when not ticked.
        Language = string.IsNullOrEmpty(Language) ? null : Language, SurveyOnCompletion = SurveyOnCompletion ? "true" : "false",
        ReviewUrl = ReviewUrl ?? "",
    };

    /// <summary>The field's label, for messages that name it.</summary>
    public static string Label(CompanySetting setting) => setting switch
    {
        CompanySetting.Name => "Firm name",
        CompanySetting.TimeZone => "Time zone",
        CompanySetting.Region => "Phone region",
        CompanySetting.DeliveryWindow => "Delivery window",
        CompanySetting.WindowStart => "Opens at",
        CompanySetting.WindowEnd => "Closes at",
        CompanySetting.HelpText => "HELP answer",
        CompanySetting.PortalUrl => "Client portal address",
        CompanySetting.Language => "Client language",
        CompanySetting.SurveyOnCompletion => "Survey on completion",
        CompanySetting.ReviewUrl => "Review link",
        _ => "Sender number",
    };

    public static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];
}
