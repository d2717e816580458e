(function(){try{var s=document.currentScript,h=document.documentElement;if(!s)return;var a=s.getAttribute("data-as-of"),d="";
try{var p={};new Intl.DateTimeFormat("en-US",{timeZone:"Asia/Ho_Chi_Minh",year:"numeric",month:"2-digit",day:"2-digit"}).formatToParts(new Date()).forEach(function(x){p[x.type]=x.value});d=p.year+"-"+p.month+"-"+p.day}catch(e){d=""}
if(!/^\d{4}-\d\d-\d\d$/.test(d))d=new Date(Date.now()+252e5).toISOString().slice(0,10);if(!(d>=a))d=a;
["c","l","a","g"].forEach(function(k){var t=s.getAttribute("data-t-"+k),v="";if(!t)return;t.split(" ").forEach(function(x){var i=x.indexOf("=");if(x.slice(0,i)<=d)v=x.slice(i+1)});if(v)h.setAttribute("data-ocop-"+k,v)})}catch(e){}})();
