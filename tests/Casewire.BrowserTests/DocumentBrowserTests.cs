using System.Buffers.Binary;
using System.IO.Compression;
using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.BrowserTests;

/// <summary>Documents both ways in a real browser (SPEC §14): a client sends a photo from the portal and staff download it from the project page; staff attach a letter and the client downloads it from the link in their text.</summary>
public sealed class DocumentBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>Clicks <paramref name="link"/> and returns the file the browser saved: its suggested name and its bytes.</summary>
    async Task<(string Name, byte[] Bytes)> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Null(await download.FailureAsync());
        var saved = Path.Combine(app.Folder, $"downloaded-{Guid.NewGuid():N}");
        await download.SaveAsAsync(saved);
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(saved));
    }

    [Fact]
    public async Task AClientSendsAPhotoFromThePortalAndStaffDownloadItByteIdenticalFromTheProjectPage()
    {
        var tenant = await app.NewTenantAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551237001", firstName: "Ann");
        var project = await tenant.ProjectAsync("p1", ["c1"], name: "Lee v. Harbor Freight");
        var photo = Photo.Png(24, 16);
        var portal = await app.NewPageAsync();
        await portal.GotoAsync(await app.PortalPathAsync(tenant.CompanyId, project, ann));

        // The phone's picker: the test answers the file chooser the "Send a document" field opens.
        var chooser = await portal.RunAndWaitForFileChooserAsync(() => portal.GetByLabel("Send a document").ClickAsync());
        Assert.False(chooser.IsMultiple);
        await chooser.SetFilesAsync(new FilePayload { Name = "insurance <card>?.PNG", MimeType = "image/png", Buffer = photo });
        await portal.GetByLabel("What is it?").FillAsync("My insurance card");
        await portal.GetByRole(AriaRole.Button, new() { Name = "Send document" }).ClickAsync();

        // Confirmed on the case page (reloaded by the upload's script), and listed as the client's own.
        await Assertions.Expect(portal.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your document \"My insurance card\" is sent" })).ToBeVisibleAsync();
        var sent = portal.GetByRole(AriaRole.List, new() { Name = "Documents" }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(sent).ToHaveCountAsync(1);
        await Assertions.Expect(sent).ToContainTextAsync("My insurance card");
        await Assertions.Expect(sent).ToContainTextAsync("insurance card.PNG");
        await Assertions.Expect(sent).ToContainTextAsync("sent by you");
        var stored = await app.WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.CompanyId == tenant.CompanyId));
        Assert.Equal((DocumentSource.Client, "image/png", (long)photo.Length), (stored.Source, stored.ContentType, stored.Size));

        // A staff member finds it on the project page, from the client, and downloads it.
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.User);
        await page.GotoAsync($"/projects/{project}");
        var listed = page.Locator("#documents ul.documents > li", new() { HasText = "My insurance card" });
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await Assertions.Expect(listed).ToContainTextAsync("from the client");
        await Assertions.Expect(listed).ToContainTextAsync("insurance card.PNG");

        var (name, bytes) = await DownloadAsync(page, listed.GetByRole(AriaRole.Link, new() { Name = "My insurance card" }));

        Assert.Equal("insurance card.PNG", name);
        Assert.Equal(photo, bytes);
        // The download is on the project's timeline, by this staff member.
        await page.ReloadAsync();
        await Assertions.Expect(listed).ToContainTextAsync("Downloaded by");
    }

    [Fact]
    public async Task StaffAttachALetterOnTheProjectPageAndTheClientDownloadsItByteIdenticalFromTheLinkInTheirText()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551237002", firstName: "Ann", lastName: "Lee");
        var project = await tenant.ProjectAsync("p1", ["c1"], name: "Lee v. Harbor Freight");
        var letter = System.Text.Encoding.ASCII.GetBytes(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
            "trailer << /Root 1 0 R >>\n%%EOF\n" + Guid.NewGuid().ToString("N") + "\n");
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.User);
        await page.GotoAsync($"/projects/{project}");

        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByLabel("Attach a document").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "settlement-letter.pdf", MimeType = "application/pdf", Buffer = letter });
        await page.GetByLabel("Title").FillAsync("Settlement letter");
        await Assertions.Expect(page.GetByLabel("Tell the clients")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Attach", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("\"Settlement letter\" is attached; 1 client was told.");
        await Assertions.Expect(page.Locator("#documents ul.documents > li", new() { HasText = "Settlement letter" })).ToHaveCountAsync(1);

        // The notice goes out with Ann's own portal link; she opens it and downloads the letter.
        await app.DispatchAsync();
        var text = (string)Assert.Single(app.SinkLines(), l => (string?)l["to"] == "+15551237002")["text"]!;
        Assert.Contains("\"Settlement letter\"", text);
        var link = System.Text.RegularExpressions.Regex.Match(text, @"https?://\S+/p/[A-Za-z0-9]{10}(?=\s|$)");
        Assert.True(link.Success, text);
        var portal = await app.NewPageAsync();
        await portal.GotoAsync(new Uri(link.Value).AbsolutePath);
        var shared = portal.GetByRole(AriaRole.List, new() { Name = "Documents" }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(shared).ToHaveCountAsync(1);
        await Assertions.Expect(shared).ToContainTextAsync($"from Firm {tenant.Slug}"); // the firm's, not sent by her

        var (name, bytes) = await DownloadAsync(portal, shared.GetByRole(AriaRole.Link, new() { Name = "Settlement letter" }));

        Assert.Equal("settlement-letter.pdf", name);
        Assert.Equal(letter, bytes);
        // Staff see who downloaded it.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#documents ul.documents > li", new() { HasText = "Settlement letter" }))
            .ToContainTextAsync("Downloaded by Ann Lee (client)");
    }
}

/// <summary>A real PNG (signature, IHDR, zlib IDAT, IEND, each chunk with its CRC), so any image reader — and the type check — accepts it.</summary>
static class Photo
{
    public static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 2 (RGB), deflate, no filter method, no interlace
        header[9] = 2;
        Chunk(png, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    for (var x = 0; x < width; x++) zlib.Write([(byte)(x * 10), (byte)(y * 15), 200]);
                }
            Chunk(png, "IDAT", pixels.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>CRC-32 as PNG defines it (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
