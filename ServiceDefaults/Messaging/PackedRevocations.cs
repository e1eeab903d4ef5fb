using System.Buffers.Binary;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// The packed entry layout of a catch-up page (<c>ActiveRevocations.Users</c> and <c>.Sessions</c>): Identity writes
/// it, resource servers read it, so both sides share this one definition.
/// </summary>
public static class PackedRevocations
{
    /// <summary>16 bytes of id, 8 bytes of UTC ticks.</summary>
    public const int EntrySize = 24;

    public static void Write(Span<byte> destination, int index, Guid id, DateTimeOffset at)
    {
        var entry = destination.Slice(index * EntrySize, EntrySize);
        if (!id.TryWriteBytes(entry[..16]))
            throw new ArgumentException("The destination is too small.", nameof(destination));
        BinaryPrimitives.WriteInt64LittleEndian(entry[16..], at.UtcTicks);
    }

    /// <returns>False when the bytes are not whole entries or a time is out of range; nothing in them is then trusted.</returns>
    public static bool IsWellFormed(ReadOnlySpan<byte> packed)
    {
        if (packed.Length % EntrySize != 0)
            return false;
        for (var offset = 16; offset < packed.Length; offset += EntrySize)
        {
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(packed[offset..]);
            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                return false;
        }

        return true;
    }

    public static int Count(ReadOnlySpan<byte> packed) => packed.Length / EntrySize;

    /// <summary>Reads entry <paramref name="index"/> of bytes that passed <see cref="IsWellFormed"/>.</summary>
    public static (Guid Id, DateTimeOffset At) Read(ReadOnlySpan<byte> packed, int index)
    {
        var entry = packed.Slice(index * EntrySize, EntrySize);
        return (new Guid(entry[..16]), new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(entry[16..]), TimeSpan.Zero));
    }
}
