using System.Globalization;
using System.Net.WebSockets;

// Helpers that more than one load generator needs; each project compiles this file in
// (<Compile Include="../common/*.cs" />), so no shared assembly is built or published.

internal static class SocketFrames
{
    /// <summary>Reads one whole text frame into <paramref name="buffer"/>; its length, or null when the server closed.</summary>
    public static async Task<int?> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return length;
    }
}

internal static class Proc
{
    /// <summary>utime + stime of a process in clock ticks (1/100 s), from /proc; 0 without a pid.</summary>
    public static long CpuTicks(int? pid)
    {
        if (pid is not > 0)
        {
            return 0;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    public static double PeakRssMb(int pid) => StatusKb(pid, "VmHWM:") / 1024.0;

    public static double RssMb(int pid) => StatusKb(pid, "VmRSS:") / 1024.0;

    private static long StatusKb(int pid, string key)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
