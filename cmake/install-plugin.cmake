# Run by `cmake --install` (see install() in CMakeLists.txt) with
#   TLSA_PLUGIN_FILE    the built tlsalerts.so
#   TLSA_PLUGIN_DIR     TLSALERTS_PLUGIN_DIR, the folder chosen by the user, or empty
#   TLSA_GLOBAL_DIR     Wireshark's global plugin folder, …/plugins/<major>.<minor>/epan
#   TLSA_PLUGIN_SUBDIR  <major>.<minor>/epan
#   TLSA_BUILD_DIR      the build folder, for the hints
#
# Wireshark ignores personal plugins when it runs as root, so as root the
# plugin goes into the global folder, otherwise into the personal one. A
# personal copy is shadowed by a global one: Wireshark loads the global folder
# first and only warns "The plugin 'tlsalerts.so' was found in multiple
# directories" about the personal copy. Say so, and what to do.
set(_dir "${TLSA_PLUGIN_DIR}")
if(NOT _dir)
  execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_uid STREQUAL "0")
    set(_dir "${TLSA_GLOBAL_DIR}")
  else()
    set(_dir "$ENV{HOME}/.local/lib/wireshark/plugins/${TLSA_PLUGIN_SUBDIR}")
  endif()
endif()
# A root install over the packaged file: dpkg puts its own back on the next
# upgrade or reinstall, and `apt-get purge` removes this one.
if("$ENV{DESTDIR}" STREQUAL "" AND EXISTS "${_dir}/tlsalerts.so")
  execute_process(COMMAND dpkg-query -S "${_dir}/tlsalerts.so"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _owner ERROR_QUIET)
  if(_rc EQUAL 0)
    string(REGEX REPLACE ":.*" "" _owner "${_owner}")
    message(NOTICE "tlsalerts: ${_dir}/tlsalerts.so belongs to the Debian package ${_owner}:
  this build replaces it until the package is upgraded, reinstalled or purged.
  To keep them apart, remove the package first:  sudo apt-get purge ${_owner}")
  endif()
endif()
file(INSTALL "${TLSA_PLUGIN_FILE}" DESTINATION "${_dir}")

# WIRESHARK_PLUGIN_DIR, when set, replaces the global folder for this user.
set(_global "${TLSA_GLOBAL_DIR}")
if(DEFINED ENV{WIRESHARK_PLUGIN_DIR} AND NOT "$ENV{WIRESHARK_PLUGIN_DIR}" STREQUAL "")
  set(_global "$ENV{WIRESHARK_PLUGIN_DIR}/${TLSA_PLUGIN_SUBDIR}")
endif()
get_filename_component(_here "${_dir}/tlsalerts.so" REALPATH)
get_filename_component(_there "${_global}/tlsalerts.so" REALPATH)
if("$ENV{DESTDIR}" STREQUAL "" AND EXISTS "${_there}" AND NOT _here STREQUAL _there)
  set(_from "copied there by hand or by a root `cmake --install`; no package owns it")
  set(_remove "sudo rm ${_global}/tlsalerts.so")
  execute_process(COMMAND dpkg-query -S "${_global}/tlsalerts.so"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _owner ERROR_QUIET)
  if(_rc EQUAL 0)
    string(REGEX REPLACE ":.*" "" _owner "${_owner}")
    execute_process(COMMAND dpkg-query -W "-f=\${Version}" "${_owner}"
                    OUTPUT_VARIABLE _version ERROR_QUIET)
    set(_from "from the Debian package ${_owner} ${_version}")
    set(_remove "sudo apt-get purge ${_owner}")
  endif()
  message(NOTICE "
tlsalerts: Wireshark will NOT load the copy just installed in ${_dir}:
  a global tlsalerts.so is installed in ${_global} (${_from}).
  Wireshark loads the global folder first and only warns
  \"The plugin 'tlsalerts.so' was found in multiple directories\" about this one.
  To use this build, either remove the global copy:  ${_remove}
  or install this build globally instead:            sudo cmake --install ${TLSA_BUILD_DIR}
  (tshark -G plugins shows which file is loaded.)
")
endif()
