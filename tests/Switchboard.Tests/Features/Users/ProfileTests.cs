using System.Net.Http.Json;
using System.Text;
using SkiaSharp;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Features.Tickets;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Users;

public sealed class ProfileTestsOnSqlite(SqliteApp app) : ProfileTests(app), IClassFixture<SqliteApp>;

public sealed class ProfileTestsOnPostgres(PostgresApp app) : ProfileTests(app), IClassFixture<PostgresApp>;

public abstract class ProfileTests(SwitchboardApp app)
{
    private static Task<HttpResponseMessage> PutAvatarAsync(TestUser user, byte[] bytes, string field = "file") =>
        user.Client.PutAsync("/api/auth/me/avatar/", TicketKit.Multipart(bytes, "me.jpg", field));

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.OrangeRed);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A real 900×600 JPEG carrying an EXIF segment with a recognisable camera note.</summary>
    private static byte[] JpegWithExif()
    {
        var jpeg = Encode(900, 600, SKEncodedImageFormat.Jpeg);
        byte[] tiff = [.. "MM"u8, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, .. "SECRETCAMERA-GPS-51.5N"u8];
        byte[] payload = [.. "Exif"u8, 0x00, 0x00, .. tiff];
        var length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)(length & 0xFF), .. payload];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    [Fact]
    public async Task Patch_ChangesNamesEmailAndSettings()
    {
        var user = await app.CreateUserAsync("prof");
        var me = await (await user.Client.GetAsync("/api/auth/me/")).JsonAsync(200);
        Assert.True((bool)me["share_read_receipts"]!);
        Assert.True((bool)me["email_notifications"]!);
        Assert.Null(me["avatar_url"]);

        var changed = await (await user.Client.PatchAsJsonAsync("/api/auth/me/",
            new { first_name = " Grace ", last_name = "Hopper", email = "grace@example.com", share_read_receipts = false })).JsonAsync(200);
        Assert.Equal("Grace", (string)changed["first_name"]!);
        Assert.Equal("Grace Hopper", (string)changed["display_name"]!);
        Assert.Equal("grace@example.com", (string)changed["email"]!);
        Assert.False((bool)changed["share_read_receipts"]!);
        Assert.True((bool)changed["email_notifications"]!);

        await (await user.Client.PatchAsJsonAsync("/api/auth/me/", new { email_notifications = false })).EnsureStatusAsync(200);
        var after = await (await user.Client.GetAsync("/api/auth/me/")).JsonAsync(200);
        Assert.Equal("Hopper", (string)after["last_name"]!);
        Assert.False((bool)after["share_read_receipts"]!);
        Assert.False((bool)after["email_notifications"]!);
        Assert.Equal(user.Username, (string)after["username"]!);
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-email\"}", "email")]
    [InlineData("{\"email\":\"\"}", "email")]
    [InlineData("{\"share_read_receipts\":\"yes\"}", "share_read_receipts")]
    [InlineData("{\"email_notifications\":1}", "email_notifications")]
    [InlineData("{\"first_name\":5}", "first_name")]
    public async Task Patch_WithBadInput_NamesTheField(string json, string field)
    {
        var user = await app.CreateUserAsync("profbad");
        var request = new HttpRequestMessage(HttpMethod.Patch, "/api/auth/me/") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        await (await user.Client.SendAsync(request)).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Patch_WithTooLongName_NamesTheField()
    {
        var user = await app.CreateUserAsync("proflong");
        await (await user.Client.PatchAsJsonAsync("/api/auth/me/", new { last_name = new string('x', 151) })).AssertFieldErrorAsync("last_name");
    }

    [Fact]
    public async Task Avatar_IsStoredAsASmallSquare_WithoutMetadata()
    {
        var user = await app.CreateUserAsync("avatar");
        var upload = JpegWithExif();
        Assert.Contains("SECRETCAMERA", Encoding.ASCII.GetString(upload), StringComparison.Ordinal);

        var me = await (await PutAvatarAsync(user, upload)).JsonAsync(200);
        var url = (string)me["avatar_url"]!;
        var response = await user.Client.GetAsync(url);
        await response.EnsureStatusAsync(200);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        var stored = await response.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(stored));
        Assert.Equal(256, codec.Info.Width);
        Assert.Equal(256, codec.Info.Height);
        var text = Encoding.ASCII.GetString(stored);
        Assert.DoesNotContain("Exif", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETCAMERA", text, StringComparison.Ordinal);

        // A small picture is not scaled up, only squared.
        var small = await (await PutAvatarAsync(user, Encode(40, 100, SKEncodedImageFormat.Png))).JsonAsync(200);
        Assert.NotEqual(url, (string)small["avatar_url"]!);
        await (await user.Client.GetAsync(url)).ProblemAsync(404);
        using var smallCodec = SKCodec.Create(new MemoryStream(await user.Client.GetByteArrayAsync((string)small["avatar_url"]!)));
        Assert.Equal(40, smallCodec.Info.Width);
        Assert.Equal(40, smallCodec.Info.Height);

        await (await PutAvatarAsync(user, Encode(64, 64, SKEncodedImageFormat.Webp))).EnsureStatusAsync(200);
    }

    [Fact]
    public async Task Avatar_RefusesWhatIsNotAPictureOrTooBig()
    {
        var user = await app.CreateUserAsync("avbad");
        byte[] gif = [.. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x3B];
        await (await PutAvatarAsync(user, gif)).AssertFieldErrorAsync("file");
        await (await PutAvatarAsync(user, "just text, named me.jpg"u8.ToArray())).AssertFieldErrorAsync("file");
        // A PNG signature with nothing decodable behind it.
        await (await PutAvatarAsync(user, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])).AssertFieldErrorAsync("file");
        await (await PutAvatarAsync(user, ChatKit.Png, field: "avatar")).AssertFieldErrorAsync("file");
        var tooBig = new byte[2 * 1024 * 1024 + 1];
        ChatKit.Png.CopyTo(tooBig, 0);
        await (await PutAvatarAsync(user, tooBig)).ProblemAsync(413);
        await (await user.Client.PutAsJsonAsync("/api/auth/me/avatar/", new { file = "x" })).ProblemAsync(415);
        Assert.Null((await (await user.Client.GetAsync("/api/auth/me/")).JsonAsync(200))["avatar_url"]);
    }

    [Fact]
    public async Task Avatar_IsServedToPeopleWhoShareAProject_AndShowsOnTheirMessages()
    {
        var c = await ChatKit.CastAsync(app);
        var me = await (await PutAvatarAsync(c.Participant, ChatKit.LargePng())).JsonAsync(200);
        var url = (string)me["avatar_url"]!;

        await (await c.Viewer.Client.GetAsync(url)).EnsureStatusAsync(200);
        await (await c.Owner.Client.GetAsync(url)).EnsureStatusAsync(200);
        await (await c.Outsider.Client.GetAsync(url)).ProblemAsync(404);
        // A guessed id is no way in, with or without a token.
        var guessed = url[..url.LastIndexOf('/')] + "/" + new string('0', 32);
        await (await app.CreateClient().GetAsync(guessed)).ProblemAsync(404);
        await (await c.Viewer.Client.GetAsync(guessed)).ProblemAsync(404);
        // Without a token the link itself is the key, as <img src> needs.
        var anonymous = await app.CreateClient().GetAsync(url);
        await anonymous.EnsureStatusAsync(200);
        Assert.Equal("nosniff", anonymous.Headers.GetValues("X-Content-Type-Options").Single());

        var message = await c.Participant.SendAsync(c.RoomId, "with my face");
        Assert.Equal(url, (string)message["user"]!["avatar_url"]!);
        var list = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(url, (string)list["results"]![0]!["user"]!["avatar_url"]!);
        var members = await (await c.Viewer.Client.GetAsync($"/api/projects/{c.ProjectId}/members/")).JsonAsync(200);
        Assert.Contains(members["results"]!.AsArray(), m => (string?)m!["user"]!["avatar_url"] == url);

        // Finding the user by name shows the avatar only to those who share a project with them.
        var byViewer = await (await c.Viewer.Client.GetAsync($"/api/users/?search={c.Participant.Username}")).JsonAsync(200);
        Assert.Equal(url, (string)byViewer["results"]![0]!["avatar_url"]!);
        var byOutsider = await (await c.Outsider.Client.GetAsync($"/api/users/?search={c.Participant.Username}")).JsonAsync(200);
        Assert.Equal(c.Participant.Id, (int)byOutsider["results"]![0]!["id"]!);
        Assert.Null(byOutsider["results"]![0]!["avatar_url"]);

        var removed = await (await c.Participant.Client.DeleteAsync("/api/auth/me/avatar/")).JsonAsync(200);
        Assert.Null(removed["avatar_url"]);
        await (await c.Viewer.Client.GetAsync(url)).ProblemAsync(404);
        await (await app.CreateClient().GetAsync(url)).ProblemAsync(404);
    }
}
