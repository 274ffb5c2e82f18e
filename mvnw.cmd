@echo off
@REM Runs the project's build with the machine's Maven (3.8 or newer): MAVEN_HOME\bin\mvn.cmd, else mvn on the PATH.
@REM No file of this repository names a download host, so this wrapper does not fetch a Maven distribution.
if defined MAVEN_HOME if exist "%MAVEN_HOME%\bin\mvn.cmd" (
  "%MAVEN_HOME%\bin\mvn.cmd" %*
  exit /b %ERRORLEVEL%
)
where mvn >nul 2>nul
if errorlevel 1 (
  echo mvnw: no Maven found. Install Maven 3.8 or newer or set MAVEN_HOME. 1>&2
  exit /b 127
)
mvn %*
