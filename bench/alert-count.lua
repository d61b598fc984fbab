-- alert-count.lua — what users write today instead of the plugin: a tap listener that counts
-- TLS alerts per level and description with field extractors, printed at the end of a tshark
-- run. bench/run times it as configuration (e):
--
--     tshark -q -r FILE -X lua_script:bench/alert-count.lua
--
-- The listener's filter makes tshark build a tree for every frame and run the filter on it;
-- scripts that leave the filter out and test the field in packet() cost about the same.

local f_level = Field.new("tls.alert_message.level")
local f_desc = Field.new("tls.alert_message.desc")

local counts = {}
local tap = Listener.new("frame", "tls.alert_message")

function tap.reset()
    counts = {}
end

function tap.packet(pinfo, tvb)
    local levels = { f_level() }
    local descs = { f_desc() }
    for i, desc in ipairs(descs) do
        local level = levels[i] and levels[i].value or "?"
        local key = tostring(level) .. "\t" .. tostring(desc.value)
        counts[key] = (counts[key] or 0) + 1
    end
end

function tap.draw()
    local keys = {}
    for key in pairs(counts) do keys[#keys + 1] = key end
    table.sort(keys)
    print("level\tdescription\tcount")
    for _, key in ipairs(keys) do
        print(key .. "\t" .. counts[key])
    end
end
