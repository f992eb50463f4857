package io.sofie.keras.reader;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.MemoryBudget;

/** Opens HDF5 files and refuses, with a clear message, ones that are truncated or not HDF5 at all. */
final class Hdf5Files {
    private Hdf5Files() {
    }

    /** HDF5's 8-byte format signature. */
    static boolean hasSignature(byte[] head) {
        return head.length >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F'
                && head[4] == '\r' && head[5] == '\n' && head[6] == 0x1a && head[7] == '\n';
    }

    /**
     * Opens the HDF5 file {@code name}; errors name it and end with {@code whatToDo}. A file that fits the
     * {@link MemoryBudget} is read into memory first: jhdf then reads every structure as a slice of those bytes, so
     * a corrupt size field (an object header claiming 2 GB) fails as out of range instead of allocating that much.
     */
    static HdfFile open(java.nio.file.Path path, String name, String whatToDo) {
        long size;
        try {
            size = java.nio.file.Files.size(path);
        } catch (java.io.IOException e) {
            throw KerasImportException.ofFile(name, "cannot be read: " + e.getMessage(), e);
        }
        if (size < Integer.MAX_VALUE - 8 && MemoryBudget.fits(size)) {
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(path);
            } catch (java.io.IOException e) {
                throw KerasImportException.ofFile(name, "cannot be read: " + e.getMessage(), e);
            }
            return open(bytes, name, null, whatToDo);
        }
        HdfFile hdf;
        try {
            hdf = new HdfFile(path);
        } catch (RuntimeException e) {
            throw unreadable(name, "", e, whatToDo);
        }
        return checked(hdf, name, "", whatToDo);
    }

    /** Opens the HDF5 file {@code member} held in memory, from inside the file {@code name} (null: the file itself). */
    static HdfFile open(byte[] bytes, String name, String member, String whatToDo) {
        String subject = member == null ? "" : "holds a " + member + " that ";
        if (!hasSignature(bytes)) {
            throw KerasImportException.ofFile(name, subject + "is not an HDF5 file (no HDF5 signature); "
                    + whatToDo);
        }
        HdfFile hdf;
        try {
            hdf = HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw unreadable(name, subject, e, whatToDo);
        }
        return checked(hdf, name, subject, whatToDo);
    }

    /** The superblock records where the file ends; a shorter file was cut off (an interrupted copy or save). */
    private static HdfFile checked(HdfFile hdf, String name, String subject, String whatToDo) {
        try {
            Superblock sb = hdf.getHdfBackingStorage().getSuperblock();
            long end = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
            long size = hdf.size();
            if (end > size) {
                throw KerasImportException.ofFile(name, subject + "is truncated: HDF5 says it is " + end
                        + " bytes long but it has " + size + " (an interrupted copy or save); copy it again or "
                        + whatToDo);
            }
            return hdf;
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    /**
     * True for a failure inside jhdf while it decoded the file: its own exceptions, and runtime exceptions (overflow,
     * buffer underflow, bad index) thrown from its code on damaged bytes; not a failure of this project's code.
     */
    static boolean isJhdfFailure(RuntimeException e) {
        if (e instanceof io.jhdf.exceptions.HdfException) {
            return true;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            String c = frame.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return c.startsWith("io.jhdf.");
            }
        }
        return false;
    }

    /** What jhdf said, for a message. */
    static String describe(RuntimeException e) {
        return e instanceof io.jhdf.exceptions.HdfException || e.getMessage() == null
                ? String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The reason for a damaged HDF5 structure in {@code subject} ("" for the file itself), with what to do. */
    static String damaged(String subject, RuntimeException e) {
        return subject + "has a damaged HDF5 structure (" + describe(e) + "): the file is corrupt or truncated; "
                + "copy it again or save the model again";
    }

    private static KerasImportException unreadable(String name, String subject, RuntimeException e,
            String whatToDo) {
        return KerasImportException.ofFile(name, subject + "is not a readable HDF5 file (" + describe(e)
                + "); it may be truncated or corrupt; " + whatToDo, e);
    }
}
