using Casewire.Data;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using NodaTime.Text;

namespace Casewire.CompanyApp.Pages.Deliveries;

/// <summary>
/// The delivery log (SPEC §8): every outbound delivery and inbound message, newest first, filtered by
/// status, channel, direction, a date range in the company's time zone and a recipient search; paged by cursor
/// (<see cref="DeliveryLog"/>).
/// </summary>
sealed class IndexModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? Direction { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public DeliveryLog.Page? Log { get; private set; }
    public CompanyTime Time { get; private set; } = null!;
    public bool Filtered => Status is not null || Channel is not null || Direction is not null || From is not null || To is not null || Search is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        var filter = ReadFilter();
        if (!DeliveryLog.Cursor.TryDecode(Cursor, out var after))
            ModelState.AddModelError(nameof(Cursor), "This page link is no longer valid; start again from the newest.");
        if (!ModelState.IsValid || filter is null) return;
        Log = await DeliveryLog.ReadAsync(db, CompanyId, filter, after, time.GetUtcNow(), ct);
    }

    /// <summary>The filter, or null with a message next to each field that is not understood.</summary>
    DeliveryLog.Filter? ReadFilter()
    {
        Status = Blank(Status)?.ToLowerInvariant();
        Channel = Blank(Channel)?.ToLowerInvariant();
        Direction = Blank(Direction)?.ToLowerInvariant();
        (From, To, Search) = (Blank(From), Blank(To), Blank(Search));
        if (Status is not null && !DeliveryLog.Statuses.Contains(Status))
            ModelState.AddModelError(nameof(Status), $"'{Status}' is not a status; choose one from the list.");
        if (Channel is not null && !DeliveryLog.Channels.Contains(Channel))
            ModelState.AddModelError(nameof(Channel), $"'{Channel}' is not a channel; choose SMS, email or portal.");
        MessageDirection? direction = Direction switch
        {
            null => null,
            "outbound" => MessageDirection.Outbound,
            "inbound" => MessageDirection.Inbound,
            _ => null,
        };
        if (Direction is not null && direction is null) ModelState.AddModelError(nameof(Direction), "Choose outbound or inbound.");
        var from = ReadDate(From, nameof(From));
        var to = ReadDate(To, nameof(To));
        if (from is not null && to is not null && to < from) ModelState.AddModelError(nameof(To), "The end date is before the start date.");
        if (Search?.Length > 100) ModelState.AddModelError(nameof(Search), "Search for at most 100 characters.");
        if (!ModelState.IsValid) return null;
        return new DeliveryLog.Filter(Status, Channel, direction,
            from is { } f ? Time.StartOf(f) : null, to is { } t ? Time.StartOf(t.PlusDays(1)) : null, Search);
    }

    NodaTime.LocalDate? ReadDate(string? value, string field)
    {
        if (value is null) return null;
        var parsed = LocalDatePattern.Iso.Parse(value);
        if (parsed.Success) return parsed.Value;
        ModelState.AddModelError(field, $"'{value}' is not a date; use YYYY-MM-DD, e.g. 2026-01-31.");
        return null;
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>This log with the same filters, from <paramref name="after"/> (the newest when null).</summary>
    public string PageUrl(DeliveryLog.Cursor? after = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["status"] = Status, ["channel"] = Channel, ["direction"] = Direction, ["from"] = From, ["to"] = To, ["q"] = Search,
            ["cursor"] = after?.Encode(),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/deliveries", query.Where(p => p.Value is not null));
    }
}
