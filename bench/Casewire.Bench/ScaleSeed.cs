namespace Casewire.Bench;

/// <summary>
/// The scale benchmark's bulk path: rows written by SQL into the server's database before it starts,
/// each table filled by one <c>INSERT … SELECT</c> over a generated series (SQLite: a recursive CTE;
/// PostgreSQL: <c>generate_series</c>), so a million rows take seconds instead of the minutes a
/// million API calls would. The rows are what the API would have written: contacts; one project per
/// event with its attendee as client; events with ten reminders each (1–10 days before), every
/// reminder a message and one pending SMS outbox item due at its time, expiring at the event's start.
/// Ids are explicit; PostgreSQL's identity sequences are moved past them afterwards.
/// </summary>
static class ScaleSeed
{
    public const int RemindersPerEvent = 10;

    public static async Task SeedAsync(BenchDatabase db, int companyId, int contacts, int reminders, CancellationToken ct)
    {
        var pg = db.Provider == "Postgres";
        var events = reminders / RemindersPerEvent;
        if (events > contacts) throw new ArgumentException("every event's attendee is its own contact: reminders / 10 ≤ contacts");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long Day = 86_400_000;
        var (False, True) = pg ? ("false", "true") : ("0", "1");
        string Series(long n) => pg ? $"generate_series(1::bigint, {n}) AS s(i)" : $"s"; // bigint: times in ms overflow int
        string With(long n) => pg ? "" : $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) ";
        string Instant(string ms) => pg ? $"to_timestamp(({ms}) / 1000.0)" : $"({ms})";
        string Pad7(string x) => pg ? $"lpad(({x})::text, 7, '0')" : $"printf('%07d', {x})";
        // Event e starts between 30 and 365 days from now; its reminders are 1…10 days before it.
        string Start(string e) => $"{now + 30 * Day} + ({e}) * {335 * Day / Math.Max(1, events)}"; // constants folded here: 30 days in ms overflow PostgreSQL's int
        var created = Instant(now.ToString());

        var statements = new List<(string Table, string Sql)>
        {
            ("ProjectTypes", $"""
                INSERT INTO "ProjectTypes" ("Id", "CompanyId", "Name", "NormalizedName", "IsLocked", "CreatedAt")
                VALUES (1, {companyId}, 'Personal Injury', '{Casewire.Model.PartnerNames.Normalize("Personal Injury")}', {False}, {created})
                """),
            ("Contacts", $"""
                INSERT INTO "Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "CreatedAt", "UpdatedAt")
                {With(contacts)}SELECT i, {companyId}, 'seed-contact-' || i, 'Client', 'No' || i, 'client' || i || '@example.com',
                       '+1555' || {Pad7($"i % 10000000")}, {created}, {created}
                FROM {Series(contacts)}
                """),
        };
        if (events > 0)
        {
            statements.AddRange(
            [
                ("Projects", $"""
                    INSERT INTO "Projects" ("Id", "CompanyId", "ExternalId", "Name", "ProjectTypeId", "PartnerPhaseName", "MilestonesEnabled", "Status", "CreatedAt", "UpdatedAt")
                    {With(events)}SELECT i, {companyId}, 'seed-case-' || i, 'No' || i || ' v. Northwind Insurance', 1, 'Intake', {True}, 'InProgress', {created}, {created}
                    FROM {Series(events)}
                    """),
                ("ProjectClients", $"""
                    INSERT INTO "ProjectClients" ("ProjectId", "ContactId", "Position")
                    {With(events)}SELECT i, i, 0 FROM {Series(events)}
                    """),
                ("CalendarEvents", $"""
                    INSERT INTO "CalendarEvents" ("Id", "CompanyId", "ExternalId", "ProjectId", "Title", "Location", "StartAt", "EndAt", "TimeZone", "Sequence", "CreatedAt", "UpdatedAt")
                    {With(events)}SELECT i, {companyId}, 'seed-event-' || i, i, 'Hearing: motion to compel', 'County Courthouse, Room 4B',
                           {Instant(Start("i"))}, {Instant($"{Start("i")} + 1800000")}, 'America/New_York', 0, {created}, {created}
                    FROM {Series(events)}
                    """),
                ("EventAttendees", $"""
                    INSERT INTO "EventAttendees" ("EventId", "ContactId")
                    {With(events)}SELECT i, i FROM {Series(events)}
                    """),
                ("Messages", $"""
                    INSERT INTO "Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorName", "Text", "Subject", "CreatedAt")
                    {With(reminders)}SELECT i, {companyId}, (i - 1) / 10 + 1, 'Outbound', 'Reminder', 'Casewire',
                           'Reminder from Bench Law: Hearing: motion to compel (case ' || ((i - 1) / 10 + 1) || ') at County Courthouse, Room 4B.',
                           'Reminder: Hearing: motion to compel', {created}
                    FROM {Series(reminders)}
                    """),
                ("Reminders", $"""
                    INSERT INTO "Reminders" ("Id", "EventId", "Unit", "Amount", "SendAt", "Status", "MessageId")
                    {With(reminders)}SELECT i, (i - 1) / 10 + 1, 'Day', (i - 1) % 10 + 1, {Instant($"{Start("(i - 1) / 10 + 1")} - ((i - 1) % 10 + 1) * {Day}")}, 'Scheduled', i
                    FROM {Series(reminders)}
                    """),
                ("OutboxItems", $"""
                    INSERT INTO "OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "Body", "ContactId", "DueAt", "AvailableAt", "ExpiresAt",
                                               "CoalescingKey", "Status", "Attempts", "LeaseVersion", "Segments", "CreatedAt")
                    {With(reminders)}SELECT i, {companyId}, i, 'Sms', '+1555' || {Pad7("((i - 1) / 10 + 1) % 10000000")},
                           'Reminder from Bench Law: Hearing: motion to compel (case ' || ((i - 1) / 10 + 1) || ') at County Courthouse, Room 4B.',
                           (i - 1) / 10 + 1,
                           {Instant($"{Start("(i - 1) / 10 + 1")} - ((i - 1) % 10 + 1) * {Day}")},
                           {Instant($"{Start("(i - 1) / 10 + 1")} - ((i - 1) % 10 + 1) * {Day}")},
                           {Instant(Start("(i - 1) / 10 + 1"))},
                           'event:' || ((i - 1) / 10 + 1) || ':reminder:' || i, 'Pending', 0, 0, 1, {created}
                    FROM {Series(reminders)}
                    """),
            ]);
        }
        foreach (var (table, sql) in statements)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = await db.ExecuteAsync(sql, ct);
            DeliveryBenchmark.Log($"{db.Provider} scale: {table}: {rows:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        if (!pg)
        {
            // A database at rest, as a running server's would be: the seed's write-ahead log folded into the file.
            await db.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        }
        else
        {
            foreach (var table in new[] { "ProjectTypes", "Contacts", "Projects", "CalendarEvents", "Messages", "Reminders", "OutboxItems" })
                await db.ExecuteAsync($"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), GREATEST(1, (SELECT MAX("Id") FROM "{table}")))""", ct);
            // What autovacuum would have done after such a load: statistics and the visibility map.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await db.ExecuteAsync("VACUUM ANALYZE", ct);
            DeliveryBenchmark.Log($"Postgres scale: VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }
}
