// The server-side cost of a voice message's checks against a plain file upload, in one process:
// both store the upload the way the server does (LocalFileStorage.SaveAsync); the voice upload is
// then checked and measured (AudioProbe.Check) as ChatService does. HTTP, the database and the
// broadcast are the same for both and left out.
//   probe FILE...                      prints what the server makes of each file
//   bench VOICE_FILE PLAIN_FILE [N]    N rounds of each (default 20), CPU ms and bytes allocated per upload
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Switchboard.Features.Chat.Voice;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;

if (args.Length >= 2 && args[0] == "probe")
{
    foreach (var path in args[1..])
    {
        await using var file = File.OpenRead(path);
        var head = new byte[64];
        var read = file.Read(head);
        file.Position = 0;
        var (audio, error) = AudioProbe.Check(file, head.AsSpan(0, read));
        Console.WriteLine(audio is null ? $"{path}: refused: {error}" : $"{path}: {audio.ContentType} {audio.DurationMs} ms");
    }
    return 0;
}
if (args.Length < 3 || args[0] != "bench")
{
    Console.Error.WriteLine("usage: probe FILE... | bench VOICE_FILE PLAIN_FILE [ROUNDS]");
    return 2;
}

var rounds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20;
var dataDir = Directory.CreateTempSubdirectory("switchboard-voice-bench-");
var storage = new LocalFileStorage(Options.Create(new SwitchboardOptions { DataDir = dataDir.FullName }));
var voice = await File.ReadAllBytesAsync(args[1]);
var plain = await File.ReadAllBytesAsync(args[2]);

async Task PlainUpload()
{
    var stored = await storage.SaveAsync(new MemoryStream(plain, writable: false), 25 << 20, CancellationToken.None);
    await storage.DeleteAsync(stored.StorageKey, CancellationToken.None);
}

async Task VoiceUpload()
{
    var stored = await storage.SaveAsync(new MemoryStream(voice, writable: false), 25 << 20, CancellationToken.None);
    await using (var stream = (await storage.OpenReadAsync(stored.StorageKey, CancellationToken.None))!)
    {
        var (audio, error) = AudioProbe.Check(stream, stored.Head);
        if (audio is null)
        {
            throw new InvalidOperationException(error);
        }
    }
    await storage.DeleteAsync(stored.StorageKey, CancellationToken.None);
}

// The check alone, on a file already stored: what a voice message adds to its upload.
var storedVoice = await storage.SaveAsync(new MemoryStream(voice, writable: false), 25 << 20, CancellationToken.None);
async Task CheckOnly()
{
    await using var stream = (await storage.OpenReadAsync(storedVoice.StorageKey, CancellationToken.None))!;
    if (AudioProbe.Check(stream, storedVoice.Head).Audio is null)
    {
        throw new InvalidOperationException("refused");
    }
}

async Task<(double CpuMs, double Allocated)> Measure(Func<Task> upload)
{
    for (var i = 0; i < 3; i++)
    {
        await upload();
    }
    GC.Collect();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < rounds; i++)
    {
        await upload();
    }
    var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
    return (cpuMs, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)rounds);
}

// Alternated twice so that drift on a shared machine touches both sides alike.
var (p1, pa1) = await Measure(PlainUpload);
var (v1, va1) = await Measure(VoiceUpload);
var (p2, pa2) = await Measure(PlainUpload);
var (v2, va2) = await Measure(VoiceUpload);
var (c1, ca1) = await Measure(CheckOnly);
var (plainCpu, plainAlloc, voiceCpu, voiceAlloc) = ((p1 + p2) / 2, (pa1 + pa2) / 2, (v1 + v2) / 2, (va1 + va2) / 2);
{
    await using var file = File.OpenRead(args[1]);
    var head = new byte[64];
    var n = file.Read(head);
    file.Position = 0;
    Console.WriteLine($"voice file: {args[1]}, {voice.Length} bytes, measured {AudioProbe.Check(file, head.AsSpan(0, n)).Audio?.DurationMs} ms");
}
Console.WriteLine($"plain file: {args[2]}, {plain.Length} bytes; {rounds} rounds of each, twice, alternated");
Console.WriteLine($"plain upload: {plainCpu:F2} CPU ms, {plainAlloc / 1024:F0} KiB allocated per upload");
Console.WriteLine($"voice upload: {voiceCpu:F2} CPU ms, {voiceAlloc / 1024:F0} KiB allocated per upload (store + check + measure)");
Console.WriteLine($"check alone: {c1:F2} CPU ms, {ca1 / 1024:F0} KiB allocated per check (the stored 5-minute file read once, in 64 KiB steps)");
Console.WriteLine($"ratio check alone / plain upload: CPU {c1 / plainCpu:F2}x, allocated {ca1 / plainAlloc:F2}x");
Console.WriteLine($"ratio voice: CPU {voiceCpu / plainCpu:F2}x, allocated {voiceAlloc / plainAlloc:F2}x");
Console.WriteLine($"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB (whole harness, runtime included)");
dataDir.Delete(recursive: true);
return 0;
