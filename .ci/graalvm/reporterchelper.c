/*
 * The two JNI functions GraalVM's image builder loads from lib/svm/builder/lib/libreporterchelper.so for its build
 * output (com.oracle.svm.hosted.ProgressReporterCHelper): the builder process's peak resident set size, and the
 * terminal's width. GraalVM distributions ship this library; Maven Central does not, so .ci/graalvm/assemble compiles
 * this file with the JDK's jni.h.
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass clazz) {
    struct rusage usage;
    /* Linux reports ru_maxrss in KiB. */
    return getrusage(RUSAGE_SELF, &usage) == 0 ? (jlong) usage.ru_maxrss * 1024 : -1;
}

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass clazz) {
    struct winsize size;
    return ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 ? size.ws_col : 0;
}
